namespace OmniChannel.Messaging.Transport.Internal;

/// <summary>Names failures for logs and results without their messages, which may hold a host, a URL or other detail.</summary>
internal static class TwilioFailure
{
    /// <summary>Names a failure by its type, and for HTTP failures by their kind.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>A description that carries no part of the exception's message.</returns>
    public static string Describe(Exception exception) => exception switch
    {
        HttpRequestException http => $"{nameof(HttpRequestException)} ({http.HttpRequestError})",
        Polly.Timeout.TimeoutRejectedException timeout => $"timed out after {(long)timeout.Timeout.TotalMilliseconds} ms",
        Polly.CircuitBreaker.BrokenCircuitException => "the circuit is open",
        Polly.RateLimiting.RateLimiterRejectedException => "the rate limiter's queue is full",
        _ => exception.GetType().Name,
    };
}
