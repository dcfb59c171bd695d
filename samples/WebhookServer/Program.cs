// WebhookServer: a minimal API app that receives Twilio webhooks with OmniChannel.Messaging.AspNetCore.
//
//   dotnet run --project samples/WebhookServer
//
// With TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN set, it serves real Twilio on /twilio/messages, /twilio/status and
// /twilio/conversations (point your number's webhooks there, through a tunnel or proxy; see docs/webhooks.md).
// Without them it starts the embedded TwilioEmulator, plays a short story against itself (an inbound message, a STOP,
// a send whose status callbacks arrive shuffled and twice) and prints what the pipeline did.
// --bench maps a bare endpoint beside the pipeline for tests/load/webhooks.sh; --serve skips the story.
// With ConnectionStrings:OmniChannel set (for example ConnectionStrings__OmniChannel=Host=…), every store is shared in
// PostgreSQL and webhooks go through its outbox, so several instances behind one load balancer act as one
// (PostgreSql:WebhookOutbox=false keeps the queue in memory; PostgreSql:SchemaName picks the schema).
using OmniChannel.Messaging;
using OmniChannel.Messaging.AspNetCore;
using OmniChannel.Messaging.Testing;
using OmniChannel.Messaging.WebhookServer;

var bench = args.Contains("--bench");
var serveOnly = bench || args.Contains("--serve");
var hostArgs = args.Where(a => !a.StartsWith("--bench", StringComparison.Ordinal) && a != "--serve").ToArray();

var realTwilio = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TWILIO_AUTH_TOKEN"));
var emulator = realTwilio ? null : await TwilioEmulator.StartAsync();
var app = WebhookServerApp.Build(hostArgs, emulator);
if (bench)
{
    // The load script's baseline: same route shape, body read and parsed, same empty TwiML, no validation, dedupe or queue.
    app.MapPost("/bare/messages", async (HttpRequest request) =>
    {
        var form = await request.ReadFormAsync();
        return Results.Text(form.Count >= 0 ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>" : string.Empty, "text/xml; charset=utf-8");
    });
}

if (serveOnly || realTwilio)
{
    await app.RunAsync();
}
else
{
    await app.StartAsync();
    await Story.RunAsync(app, emulator!);
    await app.StopAsync();
}

if (emulator is not null)
{
    await emulator.DisposeAsync();
}

internal sealed partial class LoggingHandler(ILogger<LoggingHandler> logger) : IInboundMessageHandler, IStatusCallbackHandler, IConversationEventHandler
{
    public Task HandleAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        Inbound(logger, message.Channel, message.MessageSid, message.Keyword.Intent, message.Media.Count);
        return Task.CompletedTask;
    }

    public Task HandleAsync(StatusCallback callback, MessageStatusEvent currentStatus, CancellationToken cancellationToken)
    {
        Status(logger, callback.MessageSid, callback.Status.Value, currentStatus.Status.Value);
        return Task.CompletedTask;
    }

    public Task HandleAsync(ConversationEvent conversationEvent, CancellationToken cancellationToken)
    {
        Event(logger, conversationEvent.EventType.Value, conversationEvent.ConversationSid);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbound {Channel} message {MessageSid}: keyword {Intent}, {MediaCount} media")]
    private static partial void Inbound(ILogger logger, MessagingChannel channel, string messageSid, OptOutIntent intent, int mediaCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Status callback {MessageSid}: reported {Reported}, current {Current}")]
    private static partial void Status(ILogger logger, string messageSid, string reported, string current);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversations {EventType} in {ConversationSid}")]
    private static partial void Event(ILogger logger, string eventType, string? conversationSid);
}

internal static class Story
{
    public static async Task RunAsync(WebApplication app, TwilioEmulator twilio)
    {
        var baseUrl = new Uri(app.Urls.First().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        var inbound = new Uri(baseUrl, "twilio/messages");
        const string us = "+14155550100";
        const string customer = "+14155550111";

        var hello = await twilio.DeliverInboundMessageAsync(customer, us, "Hi, my order is late", webhookUrl: inbound);
        Console.WriteLine($"inbound 'Hi, my order is late' -> {hello.StatusCode}");
        var help = await twilio.DeliverInboundMessageAsync(customer, us, "HELP", webhookUrl: inbound);
        Console.WriteLine($"inbound 'HELP' -> {help.StatusCode} (TwiML reply configured)");

        using var http = new HttpClient();
        using var send = new HttpRequestMessage(HttpMethod.Post, new Uri(twilio.BaseUrl, $"2010-04-01/Accounts/{twilio.AccountSid}/Messages.json"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["To"] = customer,
                ["From"] = us,
                ["Body"] = "Your order ships today.",
                ["StatusCallback"] = new Uri(baseUrl, "twilio/status").OriginalString,
            }),
        };
        send.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{twilio.AccountSid}:{twilio.AuthToken}")));
        using var sent = await http.SendAsync(send);
        using var json = System.Text.Json.JsonDocument.Parse(await sent.Content.ReadAsStringAsync());
        var sid = json.RootElement.GetProperty("sid").GetString()!;
        var callbacks = await twilio.SendStatusCallbacksAsync(sid, new StatusCallbackPlan { Shuffle = true, Duplicate = true, Seed = 7 });
        Console.WriteLine("status callbacks (shuffled, each twice): " + string.Join(", ", callbacks.Select(c => $"{c.Parameter("MessageStatus")}->{c.StatusCode}")));

        var stop = await twilio.DeliverInboundMessageAsync(customer, us, "STOP", webhookUrl: inbound);
        Console.WriteLine($"inbound 'STOP' -> {stop.StatusCode}");

        // Let the worker finish, then read what the pipeline stored.
        var store = app.Services.GetRequiredService<IMessageStatusStore>();
        for (var i = 0; i < 100 && (await store.GetAsync(sid))?.Status != MessageStatus.Delivered; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        }

        var suppressed = await app.Services.GetRequiredService<ISuppressionList>().IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender(us), customer);
        Console.WriteLine($"final status of {sid}: {(await store.GetAsync(sid))?.Status}");
        Console.WriteLine($"{customer} suppressed for {us}: {suppressed}");
    }
}
