using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OmniChannel.Messaging.Transport.Internal;

/// <summary>The ActivitySource and the Meter named "OmniChannel.Messaging", and the transport's instruments.</summary>
internal sealed class TwilioTelemetry : IDisposable
{
    public const string Name = "OmniChannel.Messaging";

    public static readonly ActivitySource ActivitySource = new(Name, typeof(TwilioTelemetry).Assembly.GetName().Version?.ToString());

    private readonly Meter meter;

    public TwilioTelemetry(IMeterFactory meterFactory)
    {
        meter = meterFactory.Create(new MeterOptions(Name) { Version = typeof(TwilioTelemetry).Assembly.GetName().Version?.ToString() });
        Requests = meter.CreateCounter<long>("omnichannel.twilio.requests", "{request}", "HTTP attempts sent to Twilio.");
        Duration = meter.CreateHistogram<double>("omnichannel.twilio.request.duration", "s", "Duration of HTTP attempts sent to Twilio.");
        Retries = meter.CreateCounter<long>("omnichannel.twilio.retries", "{retry}", "Retries of Twilio calls.");
        Throttled = meter.CreateCounter<long>("omnichannel.twilio.throttled", "{response}", "HTTP 429 answers from Twilio.");
    }

    public Counter<long> Requests { get; }

    public Histogram<double> Duration { get; }

    public Counter<long> Retries { get; }

    public Counter<long> Throttled { get; }

    public void Dispose() => meter.Dispose();
}
