namespace OmniChannel.Messaging;

/// <summary>Represents what an idempotency store holds for one key: a send in progress, or its result.</summary>
public sealed record MessageIdempotencyRecord
{
    /// <summary>Gets the scoped idempotency key.</summary>
    public required string Key { get; init; }

    /// <summary>Gets a value indicating whether the send finished; <see langword="false"/> while it is in progress.</summary>
    public bool IsCompleted { get; init; }

    /// <summary>Gets the time the key was reserved.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets the time the reservation's lease ends (pending) or the record expires (completed).</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Gets the outcome of the send, when completed.</summary>
    public MessageSendOutcome Outcome { get; init; }

    /// <summary>Gets the recipient, when completed.</summary>
    public string? To { get; init; }

    /// <summary>Gets the Twilio message SID, when Twilio created the message.</summary>
    public string? MessageSid { get; init; }

    /// <summary>Gets the status Twilio reported when the message was created.</summary>
    public string? Status { get; init; }

    /// <summary>Gets the template SID sent, if the message was a template.</summary>
    public string? ContentSid { get; init; }

    /// <summary>
    /// Gets a hash of the request the key was first used for (recipient, sender, content and options); a later send with
    /// the key and a different fingerprint is refused with <see cref="IdempotencyKeyMismatchException"/>.
    /// </summary>
    public string? RequestFingerprint { get; init; }

    /// <summary>Gets the number of segments Twilio counted, when known.</summary>
    public int? Segments { get; init; }

    /// <summary>Gets the price Twilio reported, when known.</summary>
    public decimal? Price { get; init; }

    /// <summary>Gets the currency of <see cref="Price"/>.</summary>
    public string? PriceUnit { get; init; }

    /// <summary>Gets the Twilio error code of the first send, when there was one.</summary>
    public int? ErrorCode { get; init; }

    /// <summary>Gets the error message of the first send, when there was one.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Gets the HTTP status of Twilio's answer to the first send, when one came.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>Returns the key, the state and the outcome of the record, leaving out the recipient and the error message.</summary>
    /// <returns>A short description of the record.</returns>
    public override string ToString() =>
        $"MessageIdempotencyRecord {{ Key = {Key}, IsCompleted = {IsCompleted}, Outcome = {Outcome}, MessageSid = {MessageSid}, ExpiresAt = {ExpiresAt:O} }}";
}
