namespace OmniChannel.Messaging.Conversations;

/// <summary>Represents a participant of a conversation: a chat identity, or an SMS/WhatsApp address bound through a proxy address.</summary>
public sealed class Participant
{
    /// <summary>Gets the participant SID (<c>MB…</c>).</summary>
    public required string Sid { get; init; }

    /// <summary>Gets the conversation SID (<c>CH…</c>).</summary>
    public required string ConversationSid { get; init; }

    /// <summary>Gets the chat identity, or <see langword="null"/> for an SMS or WhatsApp participant.</summary>
    public string? Identity { get; init; }

    /// <summary>Gets the binding type Twilio reports (<c>sms</c>, <c>whatsapp</c>, <c>rcs</c>), or <see langword="null"/> for chat.</summary>
    public string? BindingType { get; init; }

    /// <summary>Gets the participant's own address (<c>+1415…</c> or <c>whatsapp:+1415…</c>), or <see langword="null"/> for chat.</summary>
    public string? Address { get; init; }

    /// <summary>Gets the Twilio address messages to the participant are sent from, or <see langword="null"/>.</summary>
    public string? ProxyAddress { get; init; }

    /// <summary>Gets the Twilio address a Group MMS participant sees, or <see langword="null"/>.</summary>
    public string? ProjectedAddress { get; init; }

    /// <summary>Gets the application-defined attributes.</summary>
    public JsonAttributes Attributes { get; init; }

    /// <summary>Gets the role SID (<c>RL…</c>), or <see langword="null"/>.</summary>
    public string? RoleSid { get; init; }

    /// <summary>Gets the index of the last message the participant read, or <see langword="null"/>.</summary>
    public int? LastReadMessageIndex { get; init; }

    /// <summary>Gets when the participant was added.</summary>
    public DateTimeOffset? DateCreated { get; init; }

    /// <summary>Gets when the participant was last updated.</summary>
    public DateTimeOffset? DateUpdated { get; init; }
}
