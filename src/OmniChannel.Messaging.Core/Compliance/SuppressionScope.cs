namespace OmniChannel.Messaging;

/// <summary>
/// Represents whose messages a suppression blocks: one sender address, one Messaging Service (every sender in it,
/// as Twilio applies an opt-out received by a service member), or all senders.
/// The default value is <see cref="All"/>, the most restrictive scope.
/// </summary>
public readonly struct SuppressionScope : IEquatable<SuppressionScope>
{
    private const string AllValue = "*";

    private readonly string? value;

    private SuppressionScope(string value) => this.value = value;

    /// <summary>Gets the scope that blocks every sender.</summary>
    public static SuppressionScope All { get; } = new(AllValue);

    /// <summary>Gets the scope key: a sender address, an <c>MG…</c> SID, or <c>*</c> for all senders.</summary>
    public string Value => value ?? AllValue;

    /// <summary>Gets a value indicating whether this scope blocks every sender.</summary>
    public bool IsAll => Value == AllValue;

    /// <summary>Gets a value indicating whether this scope is a Messaging Service.</summary>
    public bool IsMessagingService => TwilioSid.IsValid(value, "MG");

    /// <summary>Creates the scope of one sender address.</summary>
    /// <param name="senderAddress">The sender, for example <c>+14155550100</c> or <c>whatsapp:+14155238886</c>.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentException"><paramref name="senderAddress"/> is empty, white space or <c>*</c>.</exception>
    public static SuppressionScope Sender(string senderAddress)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(senderAddress);
        if (senderAddress == AllValue)
        {
            throw new ArgumentException("'*' is reserved for SuppressionScope.All.", nameof(senderAddress));
        }

        return new(senderAddress);
    }

    /// <summary>Creates the scope of a Messaging Service: every sender in it.</summary>
    /// <param name="messagingServiceSid">The Messaging Service SID, <c>MG</c> followed by 32 hexadecimal characters.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentException"><paramref name="messagingServiceSid"/> is not an MG SID.</exception>
    public static SuppressionScope MessagingService(string messagingServiceSid)
    {
        TwilioSid.ThrowIfInvalid(messagingServiceSid, "MG");
        return new(messagingServiceSid);
    }

    /// <summary>
    /// Gets the scope Twilio applies a message's opt-out under: its Messaging Service when it has one, otherwise its
    /// sender, otherwise <see cref="All"/>. Every place that records or checks a suppression for a message uses this rule,
    /// so an opt-out is always checked under the key it was recorded with.
    /// </summary>
    /// <param name="messagingServiceSid">The message's Messaging Service SID, or <see langword="null"/>; a value that is not an <c>MG</c> SID is ignored.</param>
    /// <param name="sender">
    /// The sender address (for an inbound message, the number it was sent to), or <see langword="null"/>; an empty or
    /// white-space value is ignored.
    /// </param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentException">The scope is a sender and <paramref name="sender"/> is <c>*</c>.</exception>
    public static SuppressionScope For(string? messagingServiceSid, string? sender) =>
        TwilioSid.IsValid(messagingServiceSid, "MG") ? new(messagingServiceSid!)
        : !string.IsNullOrWhiteSpace(sender) ? Sender(sender)
        : All;

    /// <summary>Determines whether two scopes are equal.</summary>
    /// <param name="left">The first scope.</param>
    /// <param name="right">The second scope.</param>
    /// <returns><see langword="true"/> when the scopes are equal.</returns>
    public static bool operator ==(SuppressionScope left, SuppressionScope right) => left.Equals(right);

    /// <summary>Determines whether two scopes differ.</summary>
    /// <param name="left">The first scope.</param>
    /// <param name="right">The second scope.</param>
    /// <returns><see langword="true"/> when the scopes differ.</returns>
    public static bool operator !=(SuppressionScope left, SuppressionScope right) => !left.Equals(right);

    /// <summary>Determines whether this scope equals another (ordinal comparison).</summary>
    /// <param name="other">The other scope.</param>
    /// <returns><see langword="true"/> when the scopes are equal.</returns>
    public bool Equals(SuppressionScope other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SuppressionScope other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Returns the scope key.</summary>
    /// <returns>A sender address, an MG SID, or <c>*</c>.</returns>
    public override string ToString() => Value;
}
