using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OmniChannel.Messaging.Transport.Internal;

/// <summary>Creates one client per registered account on first use and keeps it; a failed build is retried on the next call.</summary>
internal sealed class TwilioClientFactory(
    IEnumerable<TwilioAccountRegistration> registrations,
    IHttpClientFactory httpClientFactory,
    IOptionsMonitor<OmniChannelMessagingOptions> optionsMonitor,
    TimeProvider timeProvider,
    TwilioTelemetry telemetry,
    ILoggerFactory loggerFactory) : ITwilioClientFactory, IDisposable
{
    private readonly HashSet<string> names = registrations.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<TwilioApiClient>> clients = new(StringComparer.Ordinal);

    public TwilioApiClient GetClient(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!names.Contains(name))
        {
            throw new InvalidOperationException(name.Length == 0
                ? "No default Twilio account is registered. Call services.AddOmniChannelMessaging(...) first."
                : $"No Twilio account named '{name}' is registered. Call services.AddOmniChannelMessaging(\"{name}\", ...) first.");
        }

        var client = clients.GetOrAdd(name, n => new Lazy<TwilioApiClient>(() => Create(n)));
        try
        {
            return client.Value;
        }
        catch (Exception)
        {
            // A Lazy keeps the exception of a failed build (an invalid configuration, say) forever: forget it, so the next
            // call builds again and succeeds once the configuration has been fixed (reloaded).
            clients.TryRemove(new KeyValuePair<string, Lazy<TwilioApiClient>>(name, client));
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var client in clients.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }
    }

    private TwilioApiClient Create(string name)
    {
        // Resolving the options here runs their validators, so a bad configuration fails before the first request.
        _ = optionsMonitor.Get(name);
        return new TwilioApiClient(name, httpClientFactory, optionsMonitor, timeProvider, telemetry, loggerFactory.CreateLogger("OmniChannel.Messaging.Twilio"));
    }
}

/// <summary>Marks one registered account; a second registration under the same name adds nothing.</summary>
internal sealed record TwilioAccountRegistration(string Name)
{
    public static string HttpClientNameFor(string name) => name.Length == 0 ? "OmniChannel.Messaging.Twilio" : $"OmniChannel.Messaging.Twilio:{name}";
}
