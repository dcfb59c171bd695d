using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Testing;

namespace OmniChannel.Messaging.Sms.Tests;

/// <summary>An emulator plus a real container with the SMS client pointed at it.</summary>
internal sealed class SmsHarness : IAsyncDisposable
{
    public const string From = "+14155551234";
    public const string ServiceSid = "MG0123456789abcdef0123456789abcdef";
    public const string User = "+14155550100";

    private SmsHarness(TwilioEmulator twilio, ServiceProvider provider)
    {
        Twilio = twilio;
        Provider = provider;
        Client = provider.GetRequiredService<ISmsClient>();
    }

    public TwilioEmulator Twilio { get; }

    public ServiceProvider Provider { get; }

    public ISmsClient Client { get; }

    public ISuppressionList Suppression => Provider.GetRequiredService<ISuppressionList>();

    public IReadOnlyList<RecordedRequest> MessagePosts => Twilio.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/Messages.json", StringComparison.Ordinal)).ToList();

    public static async Task<SmsHarness> StartAsync(
        Action<SmsOptions>? configure = null,
        Action<OmniChannelMessagingOptions>? transport = null,
        TwilioEmulatorOptions? emulatorOptions = null,
        Action<IServiceCollection>? services = null,
        Action<IHttpClientBuilder>? httpClient = null)
    {
        var twilio = await TwilioEmulator.StartAsync(emulatorOptions);
        var collection = new ServiceCollection();
        services?.Invoke(collection);
        collection.AddOmniChannelMessaging(o =>
            {
                twilio.ConfigureClient(o);
                o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
                o.Retry.UseJitter = false;
                transport?.Invoke(o);
            })
            .AddSms(
                o =>
                {
                    o.From = From;
                    configure?.Invoke(o);
                },
                httpClient);
        var provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new SmsHarness(twilio, provider);
    }

    /// <summary>
    /// Starts a harness whose client may send one message a second, and spends that second's permit, so the next send
    /// waits about a second in the rate limiter before its request could leave.
    /// </summary>
    public static async Task<SmsHarness> StartWithTheOnlyPermitTakenAsync(Action<OmniChannelMessagingOptions>? transport = null, Action<IServiceCollection>? services = null)
    {
        var harness = await StartAsync(
            transport: o =>
            {
                o.RateLimit.Enabled = true;
                o.RateLimit.PermitsPerSecond = 1;
                o.RateLimit.BurstSize = 1;
                transport?.Invoke(o);
            },
            services: services);
        Assert.Equal(MessageSendOutcome.Accepted, (await harness.Client.SendAsync("+14155550101", "takes the only permit")).Outcome);
        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Twilio.DisposeAsync();
    }
}
