using Microsoft.Extensions.Logging;

namespace OmniChannel.Messaging.Transport.Internal;

/// <summary>Log messages of the transport. They name method, route template, status, code, request id and attempt; never bodies or credentials.</summary>
internal static partial class TwilioLog
{
    [LoggerMessage(1001, LogLevel.Debug, "Twilio {Method} {Route} answered {StatusCode} in {ElapsedMilliseconds} ms (account '{Account}', attempt {Attempt}, request {RequestId})")]
    public static partial void AttemptCompleted(ILogger logger, string method, string route, int statusCode, long elapsedMilliseconds, string account, int attempt, string? requestId);

    [LoggerMessage(1002, LogLevel.Warning, "Twilio {Method} {Route} failed with HTTP {StatusCode}, Twilio code {TwilioCode} (account '{Account}', attempt {Attempt}, request {RequestId})")]
    public static partial void CallFailed(ILogger logger, string method, string route, int statusCode, int? twilioCode, string account, int attempt, string? requestId);

    [LoggerMessage(1003, LogLevel.Warning, "Twilio {Method} {Route} attempt {Attempt} failed without an answer after {ElapsedMilliseconds} ms (account '{Account}'): {Reason}")]
    public static partial void AttemptFailedWithoutResponse(ILogger logger, string method, string route, int attempt, long elapsedMilliseconds, string account, string reason);

    [LoggerMessage(1004, LogLevel.Information, "Retrying Twilio {Method} {Route} in {DelayMilliseconds} ms after attempt {Attempt} ({Reason}, account '{Account}')")]
    public static partial void RetryScheduled(ILogger logger, string method, string route, long delayMilliseconds, int attempt, string reason, string account);

    [LoggerMessage(1005, LogLevel.Warning, "Circuit to Twilio opened for {BreakMilliseconds} ms (account '{Account}')")]
    public static partial void CircuitOpened(ILogger logger, long breakMilliseconds, string account);

    [LoggerMessage(1006, LogLevel.Information, "Circuit to Twilio closed (account '{Account}')")]
    public static partial void CircuitClosed(ILogger logger, string account);

    [LoggerMessage(1007, LogLevel.Information, "Circuit to Twilio half-open: letting one trial call through (account '{Account}')")]
    public static partial void CircuitHalfOpened(ILogger logger, string account);

    [LoggerMessage(1008, LogLevel.Warning, "Twilio {Method} {Route} attempt {Attempt} refused by the client-side rate limiter: its queue is full (account '{Account}')")]
    public static partial void RateLimiterRejected(ILogger logger, string method, string route, int attempt, string account);

    [LoggerMessage(1009, LogLevel.Warning, "Twilio {Method} {Route} failed without an answer from Twilio after {Attempts} attempt(s) (account '{Account}'): {Reason}")]
    public static partial void CallFailedWithoutResponse(ILogger logger, string method, string route, int attempts, string account, string reason);

    [LoggerMessage(1010, LogLevel.Debug, "Twilio {Method} {Route} attempt {Attempt} cancelled by the caller after {ElapsedMilliseconds} ms (account '{Account}')")]
    public static partial void AttemptCancelled(ILogger logger, string method, string route, int attempt, long elapsedMilliseconds, string account);
}
