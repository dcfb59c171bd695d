namespace OmniChannel.Messaging;

/// <summary>
/// Represents one status report for a message: from a Messaging status callback (<c>MessageStatus</c>,
/// <c>ErrorCode</c>) or a Conversations delivery receipt (<c>Status</c>, <c>ErrorCode</c>), with the time it applies to.
/// </summary>
/// <remarks>
/// Status callbacks carry no event time; use the time your endpoint received the callback. Delivery receipts carry
/// <c>DateUpdated</c>. The timestamp only decides between a delivery and a non-delivery report (see
/// <see cref="MessageStatusReducer"/>) and breaks ties; it never makes a lower status win over a higher one.
/// </remarks>
public readonly struct MessageStatusEvent : IEquatable<MessageStatusEvent>
{
    /// <summary>Initializes a new instance of the <see cref="MessageStatusEvent"/> struct.</summary>
    /// <param name="status">The reported status.</param>
    /// <param name="timestamp">The time the report applies to (or was received).</param>
    /// <param name="errorCode">The Twilio error code sent with the report, if any (for example 30003).</param>
    public MessageStatusEvent(MessageStatus status, DateTimeOffset timestamp, int? errorCode = null)
    {
        Status = status;
        Timestamp = timestamp;
        ErrorCode = errorCode;
    }

    /// <summary>
    /// Creates an event from webhook form fields: <c>MessageStatus</c> and <c>ErrorCode</c> of a Messaging status
    /// callback, or <c>Status</c> and <c>ErrorCode</c> of a Conversations delivery receipt. Allocates nothing for the
    /// documented statuses.
    /// </summary>
    /// <param name="status">The status field.</param>
    /// <param name="errorCode">The error code field; empty, absent or not a number means no error code.</param>
    /// <param name="timestamp">The time the report applies to: the receipt's <c>DateUpdated</c>, or when the callback arrived.</param>
    /// <returns>The event.</returns>
    public static MessageStatusEvent FromWebhook(ReadOnlySpan<char> status, ReadOnlySpan<char> errorCode, DateTimeOffset timestamp)
    {
        int? code = int.TryParse(errorCode, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : null;
        return new MessageStatusEvent(MessageStatus.FromSpan(status.Trim()), timestamp, code);
    }

    /// <summary>Gets the reported status; the default value (empty) when no event has been folded.</summary>
    public MessageStatus Status { get; }

    /// <summary>Gets the time the report applies to.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Gets the Twilio error code sent with the report, if any.</summary>
    public int? ErrorCode { get; }

    /// <summary>Gets a value indicating whether this is the default value, which holds no event.</summary>
    public bool IsEmpty => Status.IsEmpty;

    /// <summary>Determines whether two events are equal (status ignoring case, same instant, same error code).</summary>
    /// <param name="left">The first event.</param>
    /// <param name="right">The second event.</param>
    /// <returns><see langword="true"/> when the events are equal.</returns>
    public static bool operator ==(MessageStatusEvent left, MessageStatusEvent right) => left.Equals(right);

    /// <summary>Determines whether two events differ.</summary>
    /// <param name="left">The first event.</param>
    /// <param name="right">The second event.</param>
    /// <returns><see langword="true"/> when the events differ.</returns>
    public static bool operator !=(MessageStatusEvent left, MessageStatusEvent right) => !left.Equals(right);

    /// <summary>Determines whether this event equals another (status ignoring case, same instant, same error code).</summary>
    /// <param name="other">The other event.</param>
    /// <returns><see langword="true"/> when the events are equal.</returns>
    public bool Equals(MessageStatusEvent other) =>
        Status.Equals(other.Status) && Timestamp.UtcTicks == other.Timestamp.UtcTicks && ErrorCode == other.ErrorCode;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is MessageStatusEvent other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Status, Timestamp.UtcTicks, ErrorCode);

    /// <summary>Returns the status, time and error code.</summary>
    /// <returns>For example <c>undelivered 2026-01-01T00:00:00.0000000+00:00 (30003)</c>.</returns>
    public override string ToString() =>
        ErrorCode is { } code ? $"{Status} {Timestamp:O} ({code})" : $"{Status} {Timestamp:O}";
}
