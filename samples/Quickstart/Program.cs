// Quickstart: runs against the embedded TwilioEmulator when no TWILIO_* environment variables are set, and against your
// Twilio account when they are. It creates (or reuses) a conversation, sends a message into it and lists it back.
using System.Net;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OmniChannel.Messaging;
using OmniChannel.Messaging.Testing;

var useTwilio = Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(k => k.StartsWith("TWILIO_", StringComparison.Ordinal));
await using var emulator = useTwilio ? null : await TwilioEmulator.StartAsync();

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
if (emulator is null)
{
    builder.Services.AddOmniChannelMessaging(builder.Configuration.GetSection("OmniChannel"));
}
else
{
    builder.Services.AddOmniChannelMessaging(emulator.ConfigureClient);
}

using var host = builder.Build();
await host.StartAsync(); // ValidateOnStart: a bad configuration stops here with a message naming the bad value.
var client = host.Services.GetRequiredService<TwilioApiClient>();

Console.WriteLine(emulator is null
    ? "Using the Twilio account from the TWILIO_* environment variables."
    : $"No TWILIO_* variables set: using the embedded TwilioEmulator at {emulator.BaseUrl} (account {emulator.AccountSid}).");
Console.WriteLine($"Conversations API: {client.GetBaseUrl(TwilioProduct.Conversations)}");

// Get-or-create by unique name: 409/50353 means it already exists, so fetch it by its unique name.
const string uniqueName = "quickstart_support_case_10492";
Conversation conversation;
try
{
    conversation = await client.SendAsync(
        new TwilioRequest(HttpMethod.Post, TwilioProduct.Conversations, "/v1/Conversations") { IsSafeToRetry = true }
            .AddForm("UniqueName", uniqueName)
            .AddForm("FriendlyName", "Support Case 10492")
            .AddForm("Attributes", "{\"tenantId\":\"acme\"}"),
        QuickstartJson.Default.Conversation);
    Console.WriteLine($"Created conversation {conversation.Sid} ({conversation.UniqueName}).");
}
catch (TwilioApiException e) when (e.Status == HttpStatusCode.Conflict && e.ErrorCode == 50353)
{
    conversation = await client.SendAsync(
        new TwilioRequest(HttpMethod.Get, TwilioProduct.Conversations, $"/v1/Conversations/{uniqueName}"),
        QuickstartJson.Default.Conversation);
    Console.WriteLine($"Reusing conversation {conversation.Sid} ({conversation.UniqueName}).");
}

var sent = await client.SendAsync(
    new TwilioRequest(HttpMethod.Post, TwilioProduct.Conversations, $"/v1/Conversations/{conversation.Sid}/Messages")
        .AddForm("Author", "agent-7")
        .AddForm("Body", "Hi! Thanks for contacting Acme support. How can we help?"),
    QuickstartJson.Default.ConversationMessage);
Console.WriteLine($"Sent message {sent.Sid} (index {sent.Index}).");

Console.WriteLine("Messages in the conversation:");
await foreach (var message in client.ListAsync(
    new TwilioRequest(HttpMethod.Get, TwilioProduct.Conversations, $"/v1/Conversations/{conversation.Sid}/Messages").AddQuery("Order", "asc"),
    "messages",
    QuickstartJson.Default.ConversationMessage))
{
    Console.WriteLine($"  #{message.Index} {message.Author}: {message.Body}");
}

await SmsAndWhatsAppStory.RunAsync(useTwilio);

await host.StopAsync();

internal sealed record Conversation(
    [property: JsonPropertyName("sid")] string Sid,
    [property: JsonPropertyName("unique_name")] string? UniqueName);

internal sealed record ConversationMessage(
    [property: JsonPropertyName("sid")] string Sid,
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("author")] string? Author,
    [property: JsonPropertyName("body")] string? Body);

[JsonSerializable(typeof(Conversation))]
[JsonSerializable(typeof(ConversationMessage))]
internal sealed partial class QuickstartJson : JsonSerializerContext;
