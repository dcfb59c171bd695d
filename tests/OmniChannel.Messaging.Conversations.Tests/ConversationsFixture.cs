using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniChannel.Messaging.Testing;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Conversations.Tests;

/// <summary>An emulator and a container with the Conversations client pointed at it.</summary>
internal sealed class ConversationsFixture : IAsyncDisposable
{
    private ConversationsFixture(TwilioEmulator twilio, ServiceProvider provider, CapturingLoggerProvider logs)
    {
        Twilio = twilio;
        Provider = provider;
        Logs = logs;
    }

    public TwilioEmulator Twilio { get; }

    public ServiceProvider Provider { get; }

    public CapturingLoggerProvider Logs { get; }

    public IConversationsClient Client => Provider.GetRequiredService<IConversationsClient>();

    public static async Task<ConversationsFixture> StartAsync(Action<ConversationsOptions>? configure = null, TwilioEmulator? shared = null)
    {
        var twilio = shared ?? await TwilioEmulator.StartAsync();
        return new ConversationsFixture(twilio, CreateProvider(twilio, configure, out var logs), logs);
    }

    public static ServiceProvider CreateProvider(TwilioEmulator twilio, Action<ConversationsOptions>? configure, out CapturingLoggerProvider logs)
    {
        var capture = new CapturingLoggerProvider();
        logs = capture;
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(capture));
        services.AddOmniChannelMessaging(o =>
            {
                twilio.ConfigureClient(o);
                o.UseEnvironmentVariables = false;
                o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
                o.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
            })
            .AddConversations(o =>
            {
                o.DefaultRegion = "US";
                configure?.Invoke(o);
            });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public int Count(string method, string pathSuffix) =>
        Twilio.Requests.Count(r => r.Method == method && r.Path.EndsWith(pathSuffix, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Twilio.DisposeAsync();
    }
}
