using System.ComponentModel;

namespace OmniChannel.Messaging;

/// <summary>
/// Represents the status of a message as Twilio reports it (Messaging status callbacks, Message resources and
/// Conversations delivery receipts). An extensible enum: a value Twilio adds later is kept as is and never throws.
/// Comparison ignores case.
/// </summary>
public readonly struct MessageStatus : IEquatable<MessageStatus>
{
    private const string AcceptedValue = "accepted";
    private const string ScheduledValue = "scheduled";
    private const string QueuedValue = "queued";
    private const string SendingValue = "sending";
    private const string SentValue = "sent";
    private const string DeliveredValue = "delivered";
    private const string ReadValue = "read";
    private const string UndeliveredValue = "undelivered";
    private const string FailedValue = "failed";
    private const string CanceledValue = "canceled";
    private const string ReceivingValue = "receiving";
    private const string ReceivedValue = "received";
    private const string PartiallyDeliveredValue = "partially_delivered";

    private static readonly string[] KnownValues =
    [
        AcceptedValue, ScheduledValue, QueuedValue, SendingValue, SentValue, DeliveredValue, ReadValue,
        UndeliveredValue, FailedValue, CanceledValue, ReceivingValue, ReceivedValue, PartiallyDeliveredValue,
    ];

    private readonly string? value;

    /// <summary>Initializes a new instance of the <see cref="MessageStatus"/> struct.</summary>
    /// <param name="value">
    /// The status as Twilio spells it, for example <c>delivered</c>. A known status in any letter case is stored in
    /// Twilio's lower-case spelling (<c>DELIVERED</c> becomes <c>delivered</c>); an unknown one is kept as given.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public MessageStatus(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var index = KnownIndex(value);
        this.value = index >= 0 ? KnownValues[index] : value;
    }

    /// <summary>Gets the status <c>accepted</c>: a Messaging Service received the request and will pick a sender.</summary>
    public static MessageStatus Accepted { get; } = new(AcceptedValue);

    /// <summary>Gets the status <c>scheduled</c>: the message is scheduled for later.</summary>
    public static MessageStatus Scheduled { get; } = new(ScheduledValue);

    /// <summary>Gets the status <c>queued</c>: the message waits to be sent.</summary>
    public static MessageStatus Queued { get; } = new(QueuedValue);

    /// <summary>Gets the status <c>sending</c>: Twilio is dispatching the message.</summary>
    public static MessageStatus Sending { get; } = new(SendingValue);

    /// <summary>Gets the status <c>sent</c>: the nearest upstream carrier accepted the message.</summary>
    public static MessageStatus Sent { get; } = new(SentValue);

    /// <summary>Gets the status <c>delivered</c>: the carrier or channel confirmed delivery.</summary>
    public static MessageStatus Delivered { get; } = new(DeliveredValue);

    /// <summary>Gets the status <c>read</c>: the recipient opened the message (WhatsApp, RCS, chat).</summary>
    public static MessageStatus Read { get; } = new(ReadValue);

    /// <summary>Gets the status <c>undelivered</c>: the carrier reported that delivery failed.</summary>
    public static MessageStatus Undelivered { get; } = new(UndeliveredValue);

    /// <summary>Gets the status <c>failed</c>: the message could not be sent.</summary>
    public static MessageStatus Failed { get; } = new(FailedValue);

    /// <summary>Gets the status <c>canceled</c>: a scheduled message was canceled.</summary>
    public static MessageStatus Canceled { get; } = new(CanceledValue);

    /// <summary>Gets the status <c>receiving</c>: an inbound message is being received.</summary>
    public static MessageStatus Receiving { get; } = new(ReceivingValue);

    /// <summary>Gets the status <c>received</c>: an inbound message was received.</summary>
    public static MessageStatus Received { get; } = new(ReceivedValue);

    /// <summary>Gets the status <c>partially_delivered</c>: only some parts or recipients were confirmed delivered.</summary>
    public static MessageStatus PartiallyDelivered { get; } = new(PartiallyDeliveredValue);

    /// <summary>Gets the status string; empty for the default value.</summary>
    public string Value => value ?? string.Empty;

    /// <summary>Gets a value indicating whether this is the default value, which holds no status.</summary>
    public bool IsEmpty => string.IsNullOrEmpty(value);

    /// <summary>Gets a value indicating whether this is one of the thirteen statuses Twilio documents.</summary>
    public bool IsKnown => KnownIndex(Value) >= 0;

    /// <summary>Gets a value indicating whether this status reports a failure: <c>undelivered</c>, <c>failed</c> or <c>canceled</c>.</summary>
    public bool IsFailure => Equals(Undelivered) || Equals(Failed) || Equals(Canceled);

    /// <summary>Determines whether two statuses are equal, ignoring case.</summary>
    /// <param name="left">The first status.</param>
    /// <param name="right">The second status.</param>
    /// <returns><see langword="true"/> when both hold the same status.</returns>
    public static bool operator ==(MessageStatus left, MessageStatus right) => left.Equals(right);

    /// <summary>Determines whether two statuses differ, ignoring case.</summary>
    /// <param name="left">The first status.</param>
    /// <param name="right">The second status.</param>
    /// <returns><see langword="true"/> when the statuses differ.</returns>
    public static bool operator !=(MessageStatus left, MessageStatus right) => !left.Equals(right);

    /// <summary>Converts a string to a <see cref="MessageStatus"/>.</summary>
    /// <param name="value">The status as Twilio spells it.</param>
    public static implicit operator MessageStatus(string value) => new(value);

    /// <summary>
    /// Returns the status for a span of characters, reusing the well-known instance (no allocation) when the span is one
    /// of the documented statuses in any case, and allocating a string only for an unknown status.
    /// </summary>
    /// <param name="value">The status characters, for example from a form field.</param>
    /// <returns>The status; the default value when <paramref name="value"/> is empty.</returns>
    public static MessageStatus FromSpan(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return default;
        }

        var index = KnownIndex(value);
        return index >= 0 ? new MessageStatus(KnownValues[index]) : new MessageStatus(value.ToString());
    }

    /// <summary>Determines whether this status equals another, ignoring case.</summary>
    /// <param name="other">The other status.</param>
    /// <returns><see langword="true"/> when both hold the same status.</returns>
    public bool Equals(MessageStatus other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override bool Equals(object? obj) => obj is MessageStatus other && Equals(other);

    /// <inheritdoc/>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <summary>Returns the status string.</summary>
    /// <returns>The status as Twilio spells it.</returns>
    public override string ToString() => Value;

    /// <summary>Gets the position of a documented status in <see cref="KnownValues"/>, or -1.</summary>
    internal static int KnownIndex(string value)
    {
        // Statuses made by the static properties or FromSpan share the known strings: compare references first.
        for (var i = 0; i < KnownValues.Length; i++)
        {
            if (ReferenceEquals(value, KnownValues[i]))
            {
                return i;
            }
        }

        return KnownIndex(value.AsSpan());
    }

    /// <summary>Gets the position of a documented status in <see cref="KnownValues"/>, or -1.</summary>
    internal static int KnownIndex(ReadOnlySpan<char> value)
    {
        for (var i = 0; i < KnownValues.Length; i++)
        {
            if (value.Equals(KnownValues[i], StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
