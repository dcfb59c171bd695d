using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniChannel.Messaging.Sms;
using OmniChannel.Messaging.Testing;
using OmniChannel.Messaging.WhatsApp;

namespace OmniChannel.Messaging.Quickstart;

/// <summary>
/// The SMS and WhatsApp part of the story, wired the way an app is: the webhook pipeline receives the customer's STOP and
/// WhatsApp message from (emulated) Twilio, and the senders act on what it recorded. The emulator's clock and the app's
/// TimeProvider are one movable clock, so the 24-hour window can be closed by moving it 25 hours.
/// </summary>
internal static class SmsAndWhatsAppStory
{
    private const string SmsSender = "+14155551234";
    private const string WhatsAppSender = "whatsapp:+14155238886";
    private const string Customer = "+14155550100";

    public static async Task RunAsync(TextWriter output, QuickstartOutcome outcome, CancellationToken cancellationToken)
    {
        var clock = new MovableClock();
        await using var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { TimeProvider = clock }, cancellationToken);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddOmniChannelMessaging(twilio.ConfigureClient)
            .AddSms(o => o.From = SmsSender)
            .AddWhatsApp(o => o.From = WhatsAppSender)
            .AddWebhooks(o => o.OptOutReply = "You are unsubscribed from Acme. Reply START to resubscribe.");
        await using var app = builder.Build();
        app.MapOmniChannelWebhooks("/twilio");
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var inboundUrl = new Uri(new Uri(address.TrimEnd('/') + "/"), "twilio/messages");

        var sms = app.Services.GetRequiredService<ISmsClient>();
        var whatsApp = app.Services.GetRequiredService<IWhatsAppClient>();
        var suppressions = app.Services.GetRequiredService<ISuppressionList>();
        var lastInbound = app.Services.GetRequiredService<ILastInboundStore>();

        output.WriteLine();
        output.WriteLine($"SMS (webhooks on {inboundUrl}):");
        var first = await sms.SendAsync(Customer, "Your order #10492 has shipped.", cancellationToken);
        outcome.SmsBeforeStop = first.Outcome.ToString();
        output.WriteLine($"  before STOP: {first.Outcome} {first.MessageSid} ({first.Status}, {first.Segments} segment)");

        var stop = await twilio.DeliverInboundMessageAsync(Customer, SmsSender, "STOP", webhookUrl: inboundUrl, cancellationToken: cancellationToken);
        output.WriteLine($"  the customer texts STOP: the webhook answered {stop.StatusCode} and the pipeline suppressed the number");
        await WaitUntilAsync(async () => await suppressions.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender(SmsSender), Customer, cancellationToken), "the STOP to be recorded", cancellationToken);

        var before = twilio.Requests.Count;
        var suppressed = await sms.SendAsync(Customer, "Flash sale today!", cancellationToken);
        outcome.SmsAfterStop = suppressed.Outcome.ToString();
        outcome.SmsAfterStopCalls = twilio.Requests.Count - before;
        output.WriteLine($"  after STOP:  {suppressed.Outcome} - {suppressed.ErrorMessage} (HTTP calls to Twilio: {outcome.SmsAfterStopCalls})");

        output.WriteLine("WhatsApp:");
        var hello = await twilio.DeliverInboundMessageAsync("whatsapp:" + Customer, WhatsAppSender, "Hi, where is my order?", webhookUrl: inboundUrl, cancellationToken: cancellationToken);
        output.WriteLine($"  the customer writes to us (webhook answered {hello.StatusCode}): the 24-hour customer service window opens");
        await WaitUntilAsync(async () => await lastInbound.GetAsync(WhatsAppSender, "whatsapp:" + Customer, cancellationToken) is not null, "the inbound message to be recorded", cancellationToken);

        var template = new WhatsAppTemplate(twilio.AddContentTemplate("Hi {{1}}, there is news on case {{2}}."), "Ada", "10492");
        var inside = await whatsApp.SendAsync(Customer, "Thanks for writing! An agent will answer shortly.", template, cancellationToken);
        outcome.WhatsAppInsideWindowFreeForm = inside.Outcome == MessageSendOutcome.Accepted && inside.ContentSid is null;
        output.WriteLine($"  inside the window: {inside.Outcome} {inside.MessageSid} as {(inside.ContentSid is null ? "free-form" : "template")}");

        clock.Advance(TimeSpan.FromHours(25));
        output.WriteLine("  ...25 hours later the window is closed.");
        before = twilio.Requests.Count;
        var noFallback = await whatsApp.SendAsync(Customer, "Any news?", cancellationToken);
        outcome.WhatsAppOutsideNoFallback = noFallback.Outcome.ToString();
        output.WriteLine($"  free-form without a fallback: {noFallback.Outcome} ({twilio.Requests.Count - before} HTTP calls) - {noFallback.ErrorMessage}");
        var outside = await whatsApp.SendAsync(Customer, "Your case was updated.", template, cancellationToken);
        outcome.WhatsAppOutsideUsedTemplate = outside.Outcome == MessageSendOutcome.Accepted && outside.ContentSid == template.ContentSid;
        output.WriteLine($"  with a fallback template: {outside.Outcome} {outside.MessageSid} as template {outside.ContentSid}");

        await app.StopAsync(cancellationToken);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, CancellationToken cancellationToken)
    {
        // The pipeline acknowledges first and processes on its workers; this waits for that, at most 10 seconds.
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, cancellationToken);
        }
    }

    /// <summary>The system clock plus an offset the story moves forward.</summary>
    private sealed class MovableClock : TimeProvider
    {
        private long offsetTicks;

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

        public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);
    }
}
