namespace OmniChannel.Messaging.Conversations;

/// <summary>
/// Represents the state of a conversation. Twilio may add states; an unknown value is kept as it is and never throws.
/// </summary>
public readonly struct ConversationState : IEquatable<ConversationState>
{
    private readonly string? value;

    /// <summary>Initializes a new instance of the <see cref="ConversationState"/> struct.</summary>
    /// <param name="value">The state as Twilio spells it, for example <c>active</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null or white space.</exception>
    public ConversationState(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        this.value = value;
    }

    /// <summary>Gets the state of a conversation being set up.</summary>
    public static ConversationState Initializing { get; } = new("initializing");

    /// <summary>Gets the state of a conversation that takes messages.</summary>
    public static ConversationState Active { get; } = new("active");

    /// <summary>Gets the state of a conversation with no recent activity; a new message makes it active again.</summary>
    public static ConversationState Inactive { get; } = new("inactive");

    /// <summary>Gets the state of a closed conversation; it takes no messages and frees its participants' bindings.</summary>
    public static ConversationState Closed { get; } = new("closed");

    /// <summary>Determines whether two states are equal, ignoring case.</summary>
    /// <param name="left">The first state.</param>
    /// <param name="right">The second state.</param>
    /// <returns><see langword="true"/> when they are equal.</returns>
    public static bool operator ==(ConversationState left, ConversationState right) => left.Equals(right);

    /// <summary>Determines whether two states differ, ignoring case.</summary>
    /// <param name="left">The first state.</param>
    /// <param name="right">The second state.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(ConversationState left, ConversationState right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(ConversationState other) => string.Equals(value, other.value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ConversationState other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => value is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(value);

    /// <summary>Returns the state as Twilio spells it.</summary>
    /// <returns>The state, or an empty string for the default value.</returns>
    public override string ToString() => value ?? string.Empty;
}
