using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Testing;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.WhatsApp.Tests;

/// <summary>An emulator and a real container sharing one manual clock, with the WhatsApp client pointed at the emulator.</summary>
internal sealed class WhatsAppHarness : IAsyncDisposable
{
    public const string Sender = "whatsapp:+14155238886";
    public const string User = "whatsapp:+447700900123";
    public const string ServiceSid = "MG0123456789abcdef0123456789abcdef";

    private WhatsAppHarness(TwilioEmulator twilio, ServiceProvider provider, ManualTimeProvider clock)
    {
        Twilio = twilio;
        Provider = provider;
        Clock = clock;
        Client = provider.GetRequiredService<IWhatsAppClient>();
    }

    public TwilioEmulator Twilio { get; }

    public ServiceProvider Provider { get; }

    public ManualTimeProvider Clock { get; }

    public IWhatsAppClient Client { get; }

    private readonly List<ServiceProvider> others = [];

    public IReadOnlyList<RecordedRequest> MessagePosts => Twilio.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/Messages.json", StringComparison.Ordinal)).ToList();

    public static async Task<WhatsAppHarness> StartAsync(Action<WhatsAppOptions>? configure = null, bool synchronousChannelErrors = false, Action<OmniChannelMessagingOptions>? transport = null, Action<IHttpClientBuilder>? httpClient = null, Action<IServiceCollection>? services = null)
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { TimeProvider = clock, ChannelErrorsAreSynchronous = synchronousChannelErrors });
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(clock);
        services?.Invoke(collection);
        collection.AddOmniChannelMessaging(o =>
            {
                twilio.ConfigureClient(o);
                transport?.Invoke(o);
            })
            .AddWhatsApp(
                o =>
                {
                    o.From = Sender;
                    configure?.Invoke(o);
                },
                httpClient);
        var provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new WhatsAppHarness(twilio, provider, clock);
    }

    /// <summary>A second app instance: its own container and client on the same emulator and clock, sharing this one's last-inbound store.</summary>
    public IWhatsAppClient SecondInstance()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton(Provider.GetRequiredService<ILastInboundStore>());
        services.AddOmniChannelMessaging(Twilio.ConfigureClient).AddWhatsApp(o => o.From = Sender);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        others.Add(provider);
        return provider.GetRequiredService<IWhatsAppClient>();
    }

    /// <summary>The user writes to us: both Twilio (the emulator) and our last-inbound store see it, as the webhook pipeline would.</summary>
    public async Task UserWritesAsync(string sender = Sender)
    {
        Twilio.RecordInbound(User, sender);
        await Provider.GetRequiredService<ILastInboundStore>().RecordInboundAsync(Sender, User, Clock.GetUtcNow());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var other in others)
        {
            await other.DisposeAsync();
        }

        await Provider.DisposeAsync();
        await Twilio.DisposeAsync();
    }
}
