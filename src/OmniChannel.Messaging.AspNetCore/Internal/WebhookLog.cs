using Microsoft.Extensions.Logging;

namespace OmniChannel.Messaging.AspNetCore.Internal;

/// <summary>Log messages of the webhook receiver; none carries a token, a signature or a body.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Twilio webhook {Path} rejected with 403: {Failure} (URL checked: {Url})")]
    public static partial void SignatureRejected(ILogger logger, string path, SignatureValidationFailure failure, string url);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Twilio webhook {Path} rejected with {Status}: {Reason}")]
    public static partial void RequestRejected(ILogger logger, string path, int status, string reason);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Twilio webhook {Path} signed with auth token #{TokenIndex}, not the first: finish the rotation")]
    public static partial void SecondaryTokenMatched(ILogger logger, string path, int tokenIndex);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Debug, Message = "Twilio webhook {Kind} is a repeat (dedupe key source {KeySource}); answered 200, not processed")]
    public static partial void Duplicate(ILogger logger, WebhookKind kind, string keySource);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "Twilio webhook queue full ({Capacity}); answered 503 with Retry-After")]
    public static partial void QueueFull(ILogger logger, int capacity);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Error, Message = "Twilio webhook {Kind} could not be recorded (a store failed); answered 503 with Retry-After")]
    public static partial void StoreUnavailable(ILogger logger, WebhookKind kind, Exception exception);

    [LoggerMessage(EventId = 7012, Level = LogLevel.Warning, Message = "A webhook dedupe key could not be released; Twilio's retry is treated as a repeat until the key expires")]
    public static partial void DedupeReleaseFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Warning, Message = "Webhook step {Step} failed for {Kind} (attempt {Attempt} of {Attempts})")]
    public static partial void StepFailed(ILogger logger, Exception exception, string step, WebhookKind kind, int attempt, int attempts);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Error, Message = "Webhook step {Step} gave up on {Kind} after {Attempts} attempts")]
    public static partial void StepGaveUp(ILogger logger, string step, WebhookKind kind, int attempts);

    [LoggerMessage(EventId = 7008, Level = LogLevel.Information, Message = "Webhook worker draining {Depth} queued webhooks")]
    public static partial void Draining(ILogger logger, int depth);

    [LoggerMessage(EventId = 7009, Level = LogLevel.Warning, Message = "Webhook worker stopped before the queue drained; {Depth} webhooks were not processed")]
    public static partial void DrainIncomplete(ILogger logger, int depth);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Information, Message = "Inbound {Channel} keyword {Intent} ({Keyword}): suppression list updated")]
    public static partial void KeywordApplied(ILogger logger, MessagingChannel channel, OptOutIntent intent, string? keyword);

    [LoggerMessage(EventId = 7013, Level = LogLevel.Warning, Message = "Claiming webhooks from the outbox failed; retrying after a back-off")]
    public static partial void OutboxClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7014, Level = LogLevel.Error, Message = "Outbox {Kind} webhook {Id} was claimed {Attempts} times and never completed; removed without processing")]
    public static partial void OutboxGaveUp(ILogger logger, string kind, long id, int attempts);

    [LoggerMessage(EventId = 7015, Level = LogLevel.Error, Message = "Outbox {Kind} webhook {Id} cannot be rebuilt into a payload; removed without processing")]
    public static partial void OutboxUnreadable(ILogger logger, string kind, long id);

    [LoggerMessage(EventId = 7016, Level = LogLevel.Warning, Message = "Outbox {Kind} webhook {Id} could not be completed or released; it is claimed again when its lease ends")]
    public static partial void OutboxCompleteFailed(ILogger logger, Exception exception, string kind, long id);

    [LoggerMessage(EventId = 7017, Level = LogLevel.Warning, Message = "{Count} processed outbox webhooks could not be completed; they are claimed again when their leases end")]
    public static partial void OutboxCompletionsFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 7020, Level = LogLevel.Warning, Message = "The leases of {Count} outbox webhooks held by this instance could not be extended; retrying")]
    public static partial void OutboxLeaseExtensionFailed(ILogger logger, Exception exception, int count);
}
