// Quickstart: the support-case story. It runs against the embedded TwilioEmulator when no TWILIO_ACCOUNT_SID is set,
// and against your Twilio account when it is (then set Quickstart:SmsNumber and Quickstart:WhatsAppNumber to your
// Twilio sender numbers, for example with environment variables Quickstart__SmsNumber=+1…).
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OmniChannel.Messaging;
using OmniChannel.Messaging.Conversations;
using OmniChannel.Messaging.Testing;

var useTwilio = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TWILIO_ACCOUNT_SID"));
await using var emulator = useTwilio ? null : await TwilioEmulator.StartAsync();

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var messaging = emulator is null
    ? builder.Services.AddOmniChannelMessaging(builder.Configuration.GetSection("OmniChannel"))
    : builder.Services.AddOmniChannelMessaging(emulator.ConfigureClient);
messaging.AddConversations(o => o.DefaultRegion = "US");

using var host = builder.Build();
await host.StartAsync(); // ValidateOnStart: a bad configuration stops here with a message naming the bad value.
var conversations = host.Services.GetRequiredService<IConversationsClient>();
var smsNumber = builder.Configuration["Quickstart:SmsNumber"] ?? "+14155551234";
var whatsAppNumber = builder.Configuration["Quickstart:WhatsAppNumber"] ?? "whatsapp:+14155238886";

Console.WriteLine(emulator is null
    ? "Using the Twilio account from the TWILIO_* environment variables."
    : $"No TWILIO_ACCOUNT_SID set: using the embedded TwilioEmulator at {emulator.BaseUrl} (account {emulator.AccountSid}).");

// 1. Get-or-create by a tenant-scoped unique name. The second call finds the first one's conversation.
var uniqueName = ConversationsClientExtensions.TenantUniqueName("acme", "case_10492");
var created = await conversations.GetOrCreateAsync(uniqueName, new ConversationOptions
{
    FriendlyName = "Support Case 10492",
    Attributes = JsonAttributes.Parse("""{"tenantId":"acme","case":10492}"""),
});
var again = await conversations.GetOrCreateAsync(uniqueName);
var conversationSid = created.Value.Sid;
Console.WriteLine($"1. Conversation {conversationSid} '{created.Value.UniqueName}': {(created.Created ? "created" : "already existed")}; asked again: {(again.Created ? "created" : "existing")}, same SID: {again.Value.Sid == conversationSid}.");

// 2. Participants: an SMS customer typed as people type, a WhatsApp customer and a chat agent.
var sms = await conversations.EnsureParticipantAsync(conversationSid, ParticipantBinding.Sms("(415) 555-0100", proxy: smsNumber, defaultRegion: "US"));
var whatsApp = await conversations.EnsureParticipantAsync(conversationSid, ParticipantBinding.WhatsApp("+44 7700 900123", whatsAppNumber));
var agent = await conversations.EnsureParticipantAsync(conversationSid, ParticipantBinding.Chat("agent-7"));
Console.WriteLine($"2. SMS customer {sms.Value.Address} via {sms.Value.ProxyAddress}, WhatsApp customer {whatsApp.Value.Address}, agent {agent.Value.Identity}.");

// 3. Ensure again: Twilio's "participant already exists" (409) is a success, not an error.
var smsAgain = await conversations.EnsureParticipantAsync(conversationSid, ParticipantBinding.Sms("+1 415 555 0100", smsNumber));
Console.WriteLine($"3. Ensured the SMS customer again: {(smsAgain.Created ? "added" : "already there")} as {smsAgain.Value.Sid}.");

// 4. Send, then list the thread.
await conversations.SendMessageAsync(conversationSid, "agent-7", "Hi! Thanks for contacting Acme support. How can we help?");
await conversations.SendMessageAsync(conversationSid, sms.Value.Address!, "My order 10492 has not arrived.");
Console.WriteLine("4. Messages in the conversation:");
await foreach (var message in conversations.ListMessagesAsync(conversationSid))
{
    Console.WriteLine($"   #{message.Index} {message.Author}: {message.Body}");
}

await SmsAndWhatsAppStory.RunAsync(useTwilio);

await host.StopAsync();
