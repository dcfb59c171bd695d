// The SMS and WhatsApp part of the Quickstart: a suppressed send after STOP, a WhatsApp reply inside the 24-hour window,
// and the template fallback once the window has closed (the emulator's clock is moved forward 25 hours).
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging;
using OmniChannel.Messaging.Sms;
using OmniChannel.Messaging.Testing;
using OmniChannel.Messaging.WhatsApp;

internal static class SmsAndWhatsAppStory
{
    private const string SmsSender = "+14155551234";
    private const string WhatsAppSender = "whatsapp:+14155238886";
    private const string Customer = "+14155550100";

    public static async Task RunAsync(bool useTwilio)
    {
        if (useTwilio)
        {
            Console.WriteLine("SMS/WhatsApp story: skipped against real Twilio (it moves the emulator's clock); run without TWILIO_* variables to see it.");
            return;
        }

        var clock = new MovableClock();
        await using var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { TimeProvider = clock });
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddOmniChannelMessaging(twilio.ConfigureClient)
            .AddSms(o => o.From = SmsSender)
            .AddWhatsApp(o => o.From = WhatsAppSender);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var sms = provider.GetRequiredService<ISmsClient>();
        var whatsApp = provider.GetRequiredService<IWhatsAppClient>();

        Console.WriteLine();
        Console.WriteLine("SMS: the customer replies STOP; the webhook pipeline classifies it and suppresses the number.");
        var first = await sms.SendAsync(Customer, "Your order #10492 has shipped.");
        Console.WriteLine($"  before STOP: {first.Outcome} {first.MessageSid} ({first.Status}, {first.Segments} segment)");
        var stop = OptOutClassifier.Default.Classify("STOP");
        if (stop.Intent == OptOutIntent.OptOut)
        {
            await provider.GetRequiredService<ISuppressionList>().SuppressAsync(MessagingChannel.Sms, SuppressionScope.Sender(SmsSender), Customer);
        }

        var before = twilio.Requests.Count;
        var suppressed = await sms.SendAsync(Customer, "Flash sale today!");
        Console.WriteLine($"  after STOP:  {suppressed.Outcome} - {suppressed.ErrorMessage} (HTTP calls made: {twilio.Requests.Count - before})");

        Console.WriteLine("WhatsApp: the customer writes to us, which opens the 24-hour customer service window.");
        twilio.RecordInbound("whatsapp:" + Customer, WhatsAppSender);
        await provider.GetRequiredService<ILastInboundStore>().RecordInboundAsync(WhatsAppSender, "whatsapp:" + Customer, clock.GetUtcNow());
        var template = new WhatsAppTemplate(twilio.AddContentTemplate("Hi {{1}}, there is news on case {{2}}."), "Ada", "10492");
        var inside = await whatsApp.SendAsync(Customer, "Thanks for writing! An agent will answer shortly.", template);
        Console.WriteLine($"  inside the window: {inside.Outcome} {inside.MessageSid} as {(inside.ContentSid is null ? "free-form" : "template")}");

        clock.Advance(TimeSpan.FromHours(25));
        Console.WriteLine("  ...25 hours later the window is closed.");
        var noFallback = await whatsApp.SendAsync(Customer, "Any news?");
        Console.WriteLine($"  free-form without fallback: {noFallback.Outcome} (no HTTP call) - {noFallback.ErrorMessage}");
        var outside = await whatsApp.SendAsync(Customer, "Your case was updated.", template);
        Console.WriteLine($"  with fallback template: {outside.Outcome} {outside.MessageSid} as template {outside.ContentSid}");
    }

    /// <summary>The system clock plus an offset the story moves forward.</summary>
    private sealed class MovableClock : TimeProvider
    {
        private TimeSpan offset;

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;

        public void Advance(TimeSpan by) => offset += by;
    }
}
