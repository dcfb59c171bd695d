namespace OmniChannel.Messaging.Conversations;

/// <summary>Represents a Twilio conversation: one thread that SMS, WhatsApp and chat participants share.</summary>
public sealed class Conversation
{
    /// <summary>Gets the conversation SID (<c>CH…</c>).</summary>
    public required string Sid { get; init; }

    /// <summary>Gets the account SID (<c>AC…</c>).</summary>
    public string? AccountSid { get; init; }

    /// <summary>Gets the Conversations service SID (<c>IS…</c>) the conversation belongs to.</summary>
    public string? ChatServiceSid { get; init; }

    /// <summary>Gets the Messaging Service SID (<c>MG…</c>) that sends its SMS and WhatsApp messages.</summary>
    public string? MessagingServiceSid { get; init; }

    /// <summary>Gets the application-defined unique name, or <see langword="null"/>.</summary>
    public string? UniqueName { get; init; }

    /// <summary>Gets the human-readable name, or <see langword="null"/>.</summary>
    public string? FriendlyName { get; init; }

    /// <summary>Gets the application-defined attributes.</summary>
    public JsonAttributes Attributes { get; init; }

    /// <summary>Gets the state.</summary>
    public ConversationState State { get; init; }

    /// <summary>Gets when the conversation was created.</summary>
    public DateTimeOffset? DateCreated { get; init; }

    /// <summary>Gets when the conversation was last updated.</summary>
    public DateTimeOffset? DateUpdated { get; init; }

    /// <summary>Gets when the inactivity timer will make the conversation inactive, if a timer is set.</summary>
    public DateTimeOffset? DateInactive { get; init; }

    /// <summary>Gets when the timer will close the conversation, if a timer is set.</summary>
    public DateTimeOffset? DateClosed { get; init; }
}
