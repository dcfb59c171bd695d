namespace OmniChannel.Messaging.Testing.Internal;

/// <summary>One Conversations service (IS…) and everything in it. Guarded by the emulator's state lock.</summary>
internal sealed class ChatService(string sid)
{
    public string Sid { get; } = sid;

    public List<ConversationRecord> Conversations { get; } = [];

    public Dictionary<string, ConversationRecord> BySid { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ConversationRecord> ByUniqueName { get; } = new(StringComparer.Ordinal);

    public ConversationRecord? Find(string sidOrUniqueName) =>
        BySid.TryGetValue(sidOrUniqueName, out var bySid) ? bySid
        : ByUniqueName.TryGetValue(sidOrUniqueName, out var byName) ? byName
        : null;
}

internal sealed class ConversationRecord
{
    public required string Sid { get; init; }

    public required string ServiceSid { get; init; }

    public string? UniqueName { get; set; }

    public string? FriendlyName { get; set; }

    public string Attributes { get; set; } = "{}";

    public string State { get; set; } = "active";

    public string? MessagingServiceSid { get; set; }

    public string? TimersInactive { get; set; }

    public string? TimersClosed { get; set; }

    public string? EmailAddress { get; set; }

    public string? EmailName { get; set; }

    public DateTimeOffset DateCreated { get; set; }

    public DateTimeOffset DateUpdated { get; set; }

    public List<ParticipantRecord> Participants { get; } = [];

    public List<ConversationMessageRecord> Messages { get; } = [];

    public int NextMessageIndex { get; set; }
}

internal sealed class ParticipantRecord
{
    public required string Sid { get; init; }

    public string? Identity { get; set; }

    public string? Address { get; set; }

    public string? ProxyAddress { get; set; }

    public string? ProjectedAddress { get; set; }

    public string Attributes { get; set; } = "{}";

    public string? RoleSid { get; set; }

    public long? LastReadMessageIndex { get; set; }

    public string? LastReadTimestamp { get; set; }

    public DateTimeOffset DateCreated { get; set; }

    public DateTimeOffset DateUpdated { get; set; }

    public string? BindingType => Address is null ? null : Address.StartsWith("whatsapp:", StringComparison.Ordinal) ? "whatsapp" : "sms";
}

internal sealed class ConversationMessageRecord
{
    public required string Sid { get; init; }

    public required int Index { get; init; }

    public string Author { get; set; } = "system";

    public string? Body { get; set; }

    public string Attributes { get; set; } = "{}";

    public string? MediaSid { get; set; }

    public string? ContentSid { get; set; }

    public string? ContentVariables { get; set; }

    public string? Subject { get; set; }

    public string? ParticipantSid { get; set; }

    public DateTimeOffset DateCreated { get; set; }

    public DateTimeOffset DateUpdated { get; set; }
}

/// <summary>A Programmable Messaging message (SM…/MM…), outbound or inbound.</summary>
internal sealed class MessageRecord
{
    public required string Sid { get; init; }

    public required string From { get; init; }

    public required string To { get; init; }

    public string? Body { get; set; }

    public string? MessagingServiceSid { get; init; }

    public required string Direction { get; init; }

    public required string Status { get; set; }

    public int? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    public IReadOnlyList<string> MediaUrls { get; init; } = [];

    public string? ContentSid { get; init; }

    public string? StatusCallback { get; init; }

    public DateTimeOffset DateCreated { get; init; }

    public DateTimeOffset DateUpdated { get; set; }

    public DateTimeOffset? DateSent { get; set; }

    public bool IsWhatsApp => To.StartsWith("whatsapp:", StringComparison.Ordinal);

    /// <summary>Gets the segments billed: the SMS segments of the body; one for MMS and WhatsApp, which are not segmented.</summary>
    public int NumSegments => IsWhatsApp || From.StartsWith("whatsapp:", StringComparison.Ordinal) || MediaUrls.Count > 0 ? 1 : SegmentCounter.Count(Body);

    /// <summary>Gets a value indicating whether Twilio has priced the message: once it left (sent or later), never when it failed.</summary>
    public bool IsPriced => Status is "sent" or "delivered" or "read" or "undelivered" or "received";
}
