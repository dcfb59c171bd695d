namespace OmniChannel.Messaging.AspNetCore;

/// <summary>
/// Represents the <c>EventType</c> of a Conversations webhook. Values Twilio adds later are kept as they are, never
/// rejected. Comparison is ordinal and ignores case.
/// </summary>
public readonly struct ConversationEventType : IEquatable<ConversationEventType>
{
    private readonly string? value;

    /// <summary>Initializes a new instance of the <see cref="ConversationEventType"/> struct.</summary>
    /// <param name="value">The event type as Twilio sends it, for example <c>onMessageAdded</c>.</param>
    public ConversationEventType(string value) => this.value = value;

    /// <summary>Gets the <c>onMessageAdded</c> event type.</summary>
    public static ConversationEventType MessageAdded { get; } = new("onMessageAdded");

    /// <summary>Gets the <c>onMessageUpdated</c> event type.</summary>
    public static ConversationEventType MessageUpdated { get; } = new("onMessageUpdated");

    /// <summary>Gets the <c>onMessageRemoved</c> event type.</summary>
    public static ConversationEventType MessageRemoved { get; } = new("onMessageRemoved");

    /// <summary>Gets the <c>onConversationAdded</c> event type.</summary>
    public static ConversationEventType ConversationAdded { get; } = new("onConversationAdded");

    /// <summary>Gets the <c>onConversationUpdated</c> event type.</summary>
    public static ConversationEventType ConversationUpdated { get; } = new("onConversationUpdated");

    /// <summary>Gets the <c>onConversationRemoved</c> event type.</summary>
    public static ConversationEventType ConversationRemoved { get; } = new("onConversationRemoved");

    /// <summary>Gets the <c>onConversationStateUpdated</c> event type.</summary>
    public static ConversationEventType ConversationStateUpdated { get; } = new("onConversationStateUpdated");

    /// <summary>Gets the <c>onParticipantAdded</c> event type.</summary>
    public static ConversationEventType ParticipantAdded { get; } = new("onParticipantAdded");

    /// <summary>Gets the <c>onParticipantUpdated</c> event type.</summary>
    public static ConversationEventType ParticipantUpdated { get; } = new("onParticipantUpdated");

    /// <summary>Gets the <c>onParticipantRemoved</c> event type.</summary>
    public static ConversationEventType ParticipantRemoved { get; } = new("onParticipantRemoved");

    /// <summary>Gets the <c>onDeliveryUpdated</c> event type (a delivery or read receipt).</summary>
    public static ConversationEventType DeliveryUpdated { get; } = new("onDeliveryUpdated");

    /// <summary>Gets the <c>onUserAdded</c> event type.</summary>
    public static ConversationEventType UserAdded { get; } = new("onUserAdded");

    /// <summary>Gets the <c>onUserUpdated</c> event type.</summary>
    public static ConversationEventType UserUpdated { get; } = new("onUserUpdated");

    /// <summary>Gets the event type's text; empty for the default value.</summary>
    public string Value => value ?? string.Empty;

    /// <summary>Determines whether two event types are equal.</summary>
    /// <param name="left">The first event type.</param>
    /// <param name="right">The second event type.</param>
    /// <returns><see langword="true"/> when the texts are equal, ignoring case.</returns>
    public static bool operator ==(ConversationEventType left, ConversationEventType right) => left.Equals(right);

    /// <summary>Determines whether two event types differ.</summary>
    /// <param name="left">The first event type.</param>
    /// <param name="right">The second event type.</param>
    /// <returns><see langword="true"/> when the texts differ, ignoring case.</returns>
    public static bool operator !=(ConversationEventType left, ConversationEventType right) => !left.Equals(right);

    /// <summary>Determines whether this event type equals another.</summary>
    /// <param name="other">The other event type.</param>
    /// <returns><see langword="true"/> when the texts are equal, ignoring case.</returns>
    public bool Equals(ConversationEventType other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ConversationEventType other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <summary>Returns the event type's text.</summary>
    /// <returns>For example <c>onMessageAdded</c>.</returns>
    public override string ToString() => Value;
}
