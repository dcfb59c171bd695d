using Microsoft.Extensions.Logging;

namespace OmniChannel.Messaging.Sending.Internal;

/// <summary>Log messages of the send pipeline; they name outcome, code and channel, never bodies, numbers or credentials.</summary>
internal static partial class MessagingLog
{
    [LoggerMessage(2001, LogLevel.Information, "{Channel} send skipped: recipient is suppressed (account '{Account}')")]
    public static partial void Suppressed(ILogger logger, MessagingChannel channel, string account);

    [LoggerMessage(2002, LogLevel.Warning, "{Channel} send failed with Twilio code {ErrorCode} ({Category}, HTTP {StatusCode}, account '{Account}')")]
    public static partial void Failed(ILogger logger, MessagingChannel channel, int? errorCode, MessageErrorCategory category, int statusCode, string account);

    [LoggerMessage(2003, LogLevel.Warning, "{Channel} send outcome unknown ({Reason}, account '{Account}'); the message may have been sent and is not retried")]
    public static partial void MaybeSent(ILogger logger, MessagingChannel channel, string reason, string account);

    [LoggerMessage(2004, LogLevel.Information, "{Channel} recipient suppressed after Twilio code 21610 (account '{Account}')")]
    public static partial void SuppressedAfterOptOut(ILogger logger, MessagingChannel channel, string account);

    [LoggerMessage(2005, LogLevel.Debug, "{Channel} send returned the stored result of idempotency key (account '{Account}')")]
    public static partial void Duplicate(ILogger logger, MessagingChannel channel, string account);

    [LoggerMessage(2101, LogLevel.Error, "{Channel} send {Outcome} but the idempotency store failed to record it (account '{Account}'); the key stays pending until its lease ends, and a retry with it reports 'may have been sent'")]
    public static partial void IdempotencyCompleteFailed(ILogger logger, Exception exception, MessagingChannel channel, MessageSendOutcome outcome, string account);

    [LoggerMessage(2102, LogLevel.Warning, "{Channel} send was refused and sent nothing, but the idempotency store failed to release its key (account '{Account}'); a retry with the key reports 'may have been sent' until the lease ends")]
    public static partial void IdempotencyReleaseFailed(ILogger logger, Exception exception, MessagingChannel channel, string account);
}
