namespace OmniChannel.Messaging.Conversations;

/// <summary>Represents a message in a conversation.</summary>
public sealed class ConversationMessage
{
    /// <summary>Gets the message SID (<c>IM…</c>).</summary>
    public required string Sid { get; init; }

    /// <summary>Gets the conversation SID (<c>CH…</c>).</summary>
    public required string ConversationSid { get; init; }

    /// <summary>Gets the message's index in the conversation, from 0.</summary>
    public int Index { get; init; }

    /// <summary>Gets the author: a chat identity, a phone address, or <c>system</c>.</summary>
    public string? Author { get; init; }

    /// <summary>Gets the text, or <see langword="null"/>.</summary>
    public string? Body { get; init; }

    /// <summary>Gets the SIDs of attached media (<c>ME…</c>).</summary>
    public IReadOnlyList<string> MediaSids { get; init; } = [];

    /// <summary>Gets the content template SID (<c>HX…</c>) the message was sent with, or <see langword="null"/>.</summary>
    public string? ContentSid { get; init; }

    /// <summary>Gets the application-defined attributes.</summary>
    public JsonAttributes Attributes { get; init; }

    /// <summary>Gets the SID of the participant who wrote it (<c>MB…</c>), or <see langword="null"/>.</summary>
    public string? ParticipantSid { get; init; }

    /// <summary>Gets the delivery summary over non-chat participants, or <see langword="null"/> when Twilio sent none.</summary>
    public MessageDeliverySummary? Delivery { get; init; }

    /// <summary>Gets when the message was created.</summary>
    public DateTimeOffset? DateCreated { get; init; }

    /// <summary>Gets when the message was last updated.</summary>
    public DateTimeOffset? DateUpdated { get; init; }
}

/// <summary>
/// Represents Twilio's delivery summary of a message across its SMS and WhatsApp participants; each status is
/// <c>all</c>, <c>some</c> or <c>none</c>.
/// </summary>
public sealed class MessageDeliverySummary
{
    /// <summary>Gets the number of receipts the summary covers.</summary>
    public int Total { get; init; }

    /// <summary>Gets how many receipts say sent.</summary>
    public string? Sent { get; init; }

    /// <summary>Gets how many receipts say delivered.</summary>
    public string? Delivered { get; init; }

    /// <summary>Gets how many receipts say read.</summary>
    public string? Read { get; init; }

    /// <summary>Gets how many receipts say failed.</summary>
    public string? Failed { get; init; }

    /// <summary>Gets how many receipts say undelivered.</summary>
    public string? Undelivered { get; init; }
}
