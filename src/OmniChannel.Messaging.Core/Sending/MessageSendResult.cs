using System.Net;

namespace OmniChannel.Messaging;

/// <summary>Represents the result of sending one SMS, MMS or WhatsApp message.</summary>
public sealed class MessageSendResult
{
    /// <summary>Gets what happened to the send.</summary>
    public required MessageSendOutcome Outcome { get; init; }

    /// <summary>Gets the recipient as sent (E.164, or <c>whatsapp:+E164</c>), or as given when it could not be normalized.</summary>
    public required string To { get; init; }

    /// <summary>Gets the Twilio message SID (<c>SM…</c> or <c>MM…</c>), when Twilio created the message.</summary>
    public string? MessageSid { get; init; }

    /// <summary>Gets the status Twilio reported when the message was created (for example <c>queued</c> or <c>accepted</c>).</summary>
    public MessageStatus Status { get; init; }

    /// <summary>Gets the number of segments Twilio counted for the body, when known.</summary>
    public int? Segments { get; init; }

    /// <summary>Gets the price Twilio reported (negative for a charge), when known; usually unknown until the message is sent.</summary>
    public decimal? Price { get; init; }

    /// <summary>Gets the currency of <see cref="Price"/>, for example <c>USD</c>.</summary>
    public string? PriceUnit { get; init; }

    /// <summary>Gets the Twilio error code on failure (for example 21211), when known.</summary>
    public int? ErrorCode { get; init; }

    /// <summary>Gets the Twilio error message on failure, or the reason a send was skipped.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Gets the classification of the failure; <see cref="MessageErrorCategory.None"/> on success.</summary>
    public MessageErrorCategory ErrorCategory { get; init; }

    /// <summary>Gets the HTTP status of Twilio's answer, when one came.</summary>
    public HttpStatusCode? HttpStatus { get; init; }

    /// <summary>Gets the wait Twilio asked for before sending again, when it gave one.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets the idempotency key the send was made with, if any.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Gets a value indicating whether this is the stored result of an earlier send with the same idempotency key (nothing was sent now).</summary>
    public bool IsDuplicate { get; init; }

    /// <summary>Gets the template (<c>HX…</c>) that was sent, when the message went out as a WhatsApp template (given, or the fallback outside the window).</summary>
    public string? ContentSid { get; init; }

    /// <summary>Gets a value indicating whether Twilio created the message and did not report it failed at once.</summary>
    public bool IsSuccess => Outcome == MessageSendOutcome.Accepted && !Status.IsFailure;

    /// <summary>Gets a value indicating whether sending the same message again later may succeed without a change (a retryable error).</summary>
    public bool IsRetryable => Outcome == MessageSendOutcome.Failed && ErrorCategory == MessageErrorCategory.Retryable;

    /// <inheritdoc/>
    public override string ToString() =>
        Outcome switch
        {
            MessageSendOutcome.Accepted => $"Accepted {MessageSid} ({Status}) to {To}",
            MessageSendOutcome.Failed => $"Failed to {To}: {ErrorCode} {ErrorCategory} {ErrorMessage}",
            _ => $"{Outcome} {To}: {ErrorMessage}",
        };
}
