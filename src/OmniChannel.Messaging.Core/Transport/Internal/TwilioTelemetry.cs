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
        Requests = meter.CreateCounter<long>("omnichannel.twilio.requests", "{request}", "HTTP attempts sent to Twilio, by outcome.");
        Duration = meter.CreateHistogram<double>("omnichannel.twilio.request.duration", "s", "Duration of HTTP attempts sent to Twilio, by outcome.");
        Retries = meter.CreateCounter<long>("omnichannel.twilio.retries", "{retry}", "Retries of Twilio calls.");
        Throttled = meter.CreateCounter<long>("omnichannel.twilio.throttled", "{response}", "HTTP 429 answers from Twilio.");
        CircuitBreakerStateChanges = meter.CreateCounter<long>("omnichannel.twilio.circuit_breaker.state_changes", "{change}", "Circuit-breaker state changes, by the state entered.");
        CircuitBreakerRejections = meter.CreateCounter<long>("omnichannel.twilio.circuit_breaker.rejections", "{call}", "Calls refused by an open circuit breaker without reaching Twilio.");
        RateLimiterRejections = meter.CreateCounter<long>("omnichannel.twilio.rate_limiter.rejections", "{attempt}", "Attempts refused by the client-side rate limiter because its queue was full.");
    }

    public Counter<long> Requests { get; }

    public Histogram<double> Duration { get; }

    public Counter<long> Retries { get; }

    public Counter<long> Throttled { get; }

    public Counter<long> CircuitBreakerStateChanges { get; }

    public Counter<long> CircuitBreakerRejections { get; }

    public Counter<long> RateLimiterRejections { get; }

    public void Dispose() => meter.Dispose();
}

/// <summary>The values of the <c>twilio.outcome</c> tag on attempt metrics.</summary>
internal static class TwilioOutcome
{
    /// <summary>Twilio answered 2xx.</summary>
    public const string Success = "success";

    /// <summary>Twilio answered outside 2xx (429 included).</summary>
    public const string ApiError = "api_error";

    /// <summary>No answer: the connection failed, broke or could not be read.</summary>
    public const string TransportFailure = "transport_failure";

    /// <summary>The attempt timeout (or the call's total timeout) ended the attempt.</summary>
    public const string Timeout = "timeout";

    /// <summary>The caller's token ended the attempt.</summary>
    public const string Cancelled = "cancelled";
}
