namespace OmniChannel.Messaging;

/// <summary>Represents whether a WhatsApp free-form (session) message may be sent now, or a template is required.</summary>
public readonly struct CustomerServiceWindowDecision : IEquatable<CustomerServiceWindowDecision>
{
    internal CustomerServiceWindowDecision(DateTimeOffset evaluatedAt, DateTimeOffset? expiresAt, DateTimeOffset? freeEntryPointExpiresAt)
    {
        EvaluatedAt = evaluatedAt;
        ExpiresAt = expiresAt;
        FreeEntryPointExpiresAt = freeEntryPointExpiresAt;
    }

    /// <summary>Gets the time the decision was made.</summary>
    public DateTimeOffset EvaluatedAt { get; }

    /// <summary>
    /// Gets the time the customer service window closes (24 hours after the last inbound message), or
    /// <see langword="null"/> when the user never wrote. It may be in the past.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>Gets the time the free-entry-point window closes (72 hours after it opened), or <see langword="null"/>.</summary>
    public DateTimeOffset? FreeEntryPointExpiresAt { get; }

    /// <summary>Gets a value indicating whether the customer service window is open, so a free-form message is allowed.</summary>
    public bool IsOpen => ExpiresAt is { } expires && EvaluatedAt < expires;

    /// <summary>Gets a value indicating whether only an approved template (ContentSid) may be sent; otherwise Twilio answers 63016.</summary>
    public bool RequiresTemplate => !IsOpen;

    /// <summary>
    /// Gets a value indicating whether a free-entry-point window is open: messages are free of Meta charges, but
    /// free-form still needs the customer service window, so outside it send templates.
    /// </summary>
    public bool IsFreeEntryPointOpen => FreeEntryPointExpiresAt is { } expires && EvaluatedAt < expires;

    /// <summary>Gets the time left before the customer service window closes; zero when it is closed.</summary>
    public TimeSpan Remaining => IsOpen ? ExpiresAt!.Value - EvaluatedAt : TimeSpan.Zero;

    /// <summary>Determines whether two decisions are equal.</summary>
    /// <param name="left">The first decision.</param>
    /// <param name="right">The second decision.</param>
    /// <returns><see langword="true"/> when all times are equal.</returns>
    public static bool operator ==(CustomerServiceWindowDecision left, CustomerServiceWindowDecision right) => left.Equals(right);

    /// <summary>Determines whether two decisions differ.</summary>
    /// <param name="left">The first decision.</param>
    /// <param name="right">The second decision.</param>
    /// <returns><see langword="true"/> when any time differs.</returns>
    public static bool operator !=(CustomerServiceWindowDecision left, CustomerServiceWindowDecision right) => !left.Equals(right);

    /// <summary>Determines whether this decision equals another.</summary>
    /// <param name="other">The other decision.</param>
    /// <returns><see langword="true"/> when all times are equal.</returns>
    public bool Equals(CustomerServiceWindowDecision other) =>
        EvaluatedAt == other.EvaluatedAt && ExpiresAt == other.ExpiresAt && FreeEntryPointExpiresAt == other.FreeEntryPointExpiresAt;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CustomerServiceWindowDecision other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(EvaluatedAt, ExpiresAt, FreeEntryPointExpiresAt);

    /// <summary>Returns whether the window is open and when it closes.</summary>
    /// <returns>For example <c>Open until 2026-01-02T10:00:00.0000000+00:00</c>.</returns>
    public override string ToString() => IsOpen ? $"Open until {ExpiresAt:O}" : "Template required";
}
