using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace OmniChannel.Messaging.Core.Tests.Transport;

/// <summary>One measurement of an "OmniChannel.Messaging" instrument, with its tags.</summary>
internal sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public object? Tag(string name) => Tags.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// Records the measurements of the "OmniChannel.Messaging" meter created by one service provider's IMeterFactory, so tests
/// running in parallel (each with their own provider) never see each other's numbers.
/// </summary>
internal sealed class MeterCapture : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<Measurement> measurements = new();

    public MeterCapture(IServiceProvider provider)
    {
        var meterFactory = provider.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "OmniChannel.Messaging" && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
    }

    public IReadOnlyList<Measurement> Of(string instrument) => measurements.Where(m => m.Instrument == instrument).ToList();

    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, tagValue) in tags)
        {
            copy[key] = tagValue;
        }

        measurements.Enqueue(new Measurement(instrument.Name, value, copy));
    }
}

/// <summary>A handler placed in the account's HttpClient that can fail chosen attempts before they reach the server.</summary>
internal sealed class ScriptedFailureHandler(Func<int, Exception?> failure) : DelegatingHandler
{
    private int count;

    public int Count => Volatile.Read(ref count);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var index = Interlocked.Increment(ref count) - 1;
        return failure(index) is { } exception ? Task.FromException<HttpResponseMessage>(exception) : base.SendAsync(request, cancellationToken);
    }

    public static HttpRequestException Transport(HttpRequestError error) => new(error, $"simulated {error}");
}
