using Microsoft.AspNetCore.Http;

namespace OmniChannel.Messaging.AspNetCore.Internal;

/// <summary>
/// Builds a delivery's dedupe key: I-Twilio-Idempotency-Token, else EventSid, else the domain key (MessageSid +
/// MessageStatus for status callbacks, DeliveryReceiptSid + Status for receipts, the event type + resource SID for
/// other Conversations events), else MessageSid. Keys are scoped by kind and account.
/// </summary>
internal static class DedupeKeys
{
    public static (string? Key, string Source) For(HttpContext context, WebhookKind kind, WebhookFields f)
    {
        var account = f["AccountSid"] ?? "-";
        var token = context.Request.Headers["I-Twilio-Idempotency-Token"].ToString();
        if (token.Length > 0)
        {
            // The common case builds the key in one allocation.
            return (string.Concat(KindPrefix(kind), account, ":t:", token), "idempotency-token");
        }

        var scope = string.Concat(KindPrefix(kind), account, ":");
        if (f["EventSid"] is { } eventSid)
        {
            return (scope + "e:" + eventSid, "EventSid");
        }

        switch (kind)
        {
            case WebhookKind.StatusCallback when (f["MessageSid"] ?? f["SmsSid"]) is { } sid:
                return (string.Concat(scope, "s:", sid, ":", f["MessageStatus"] ?? f["SmsStatus"] ?? string.Empty), "MessageSid+MessageStatus");
            case WebhookKind.ConversationEvent when f["DeliveryReceiptSid"] is { } receipt:
                return (string.Concat(scope, "r:", receipt, ":", f["Status"] ?? string.Empty), "DeliveryReceiptSid+Status");
            case WebhookKind.ConversationEvent:
                var resource = f["MessageSid"] ?? f["ParticipantSid"] ?? f["ConversationSid"];
                return resource is null
                    ? (null, "none")
                    : (string.Concat(scope, "c:", f["EventType"], ":", resource, ":", f["DateUpdated"] ?? f["StateUpdated"] ?? string.Empty), "EventType+Sid");
            default:
                return (f["MessageSid"] ?? f["SmsMessageSid"]) is { } messageSid ? (scope + "m:" + messageSid, "MessageSid") : (null, "none");
        }
    }

    private static string KindPrefix(WebhookKind kind) => kind switch
    {
        WebhookKind.InboundMessage => "in:",
        WebhookKind.StatusCallback => "st:",
        _ => "cv:",
    };
}
