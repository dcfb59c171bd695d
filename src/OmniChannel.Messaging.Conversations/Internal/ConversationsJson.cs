using System.Text.Json;
using System.Text.Json.Serialization;

namespace OmniChannel.Messaging.Conversations.Internal;

// Wire shapes of Conversations v1 responses (field names from Twilio's OpenAPI spec). Everything is optional so a
// field Twilio adds or leaves out never breaks reading.
internal sealed class ConversationDto
{
    public string? Sid { get; set; }

    public string? AccountSid { get; set; }

    public string? ChatServiceSid { get; set; }

    public string? MessagingServiceSid { get; set; }

    public string? UniqueName { get; set; }

    public string? FriendlyName { get; set; }

    public string? Attributes { get; set; }

    public string? State { get; set; }

    public DateTimeOffset? DateCreated { get; set; }

    public DateTimeOffset? DateUpdated { get; set; }

    public TimersDto? Timers { get; set; }

    public Conversation ToModel() => new()
    {
        Sid = Sid ?? throw new JsonException("A conversation without a sid was returned."),
        AccountSid = AccountSid,
        ChatServiceSid = ChatServiceSid,
        MessagingServiceSid = MessagingServiceSid,
        UniqueName = UniqueName,
        FriendlyName = FriendlyName,
        Attributes = ConversationsJsonMapping.Attributes(Attributes),
        State = string.IsNullOrEmpty(State) ? default : new ConversationState(State),
        DateCreated = DateCreated,
        DateUpdated = DateUpdated,
        DateInactive = Timers?.DateInactive,
        DateClosed = Timers?.DateClosed,
    };
}

internal sealed class TimersDto
{
    public DateTimeOffset? DateInactive { get; set; }

    public DateTimeOffset? DateClosed { get; set; }
}

internal sealed class ParticipantDto
{
    public string? Sid { get; set; }

    public string? ConversationSid { get; set; }

    public string? Identity { get; set; }

    public string? Attributes { get; set; }

    public MessagingBindingDto? MessagingBinding { get; set; }

    public string? RoleSid { get; set; }

    public int? LastReadMessageIndex { get; set; }

    public DateTimeOffset? DateCreated { get; set; }

    public DateTimeOffset? DateUpdated { get; set; }

    public Participant ToModel() => new()
    {
        Sid = Sid ?? throw new JsonException("A participant without a sid was returned."),
        ConversationSid = ConversationSid ?? string.Empty,
        Identity = Identity,
        BindingType = MessagingBinding?.Type,
        Address = MessagingBinding?.Address,
        ProxyAddress = MessagingBinding?.ProxyAddress,
        ProjectedAddress = MessagingBinding?.ProjectedAddress,
        Attributes = ConversationsJsonMapping.Attributes(Attributes),
        RoleSid = RoleSid,
        LastReadMessageIndex = LastReadMessageIndex,
        DateCreated = DateCreated,
        DateUpdated = DateUpdated,
    };
}

internal sealed class MessagingBindingDto
{
    public string? Type { get; set; }

    public string? Address { get; set; }

    public string? ProxyAddress { get; set; }

    public string? ProjectedAddress { get; set; }
}

internal sealed class MessageDto
{
    public string? Sid { get; set; }

    public string? ConversationSid { get; set; }

    public int? Index { get; set; }

    public string? Author { get; set; }

    public string? Body { get; set; }

    public List<MediaDto>? Media { get; set; }

    public string? Attributes { get; set; }

    public string? ParticipantSid { get; set; }

    public DeliveryDto? Delivery { get; set; }

    public string? ContentSid { get; set; }

    public DateTimeOffset? DateCreated { get; set; }

    public DateTimeOffset? DateUpdated { get; set; }

    public ConversationMessage ToModel() => new()
    {
        Sid = Sid ?? throw new JsonException("A message without a sid was returned."),
        ConversationSid = ConversationSid ?? string.Empty,
        Index = Index ?? 0,
        Author = Author,
        Body = Body,
        MediaSids = Media?.Where(m => m.Sid is not null).Select(m => m.Sid!).ToArray() ?? [],
        Attributes = ConversationsJsonMapping.Attributes(Attributes),
        ParticipantSid = ParticipantSid,
        ContentSid = ContentSid,
        Delivery = Delivery is null ? null : new MessageDeliverySummary
        {
            Total = Delivery.Total ?? 0,
            Sent = Delivery.Sent,
            Delivered = Delivery.Delivered,
            Read = Delivery.Read,
            Failed = Delivery.Failed,
            Undelivered = Delivery.Undelivered,
        },
        DateCreated = DateCreated,
        DateUpdated = DateUpdated,
    };
}

internal sealed class MediaDto
{
    public string? Sid { get; set; }

    public string? ContentType { get; set; }

    public string? Filename { get; set; }

    public long? Size { get; set; }
}

internal sealed class DeliveryDto
{
    public int? Total { get; set; }

    public string? Sent { get; set; }

    public string? Delivered { get; set; }

    public string? Read { get; set; }

    public string? Failed { get; set; }

    public string? Undelivered { get; set; }
}

internal sealed class ParticipantConversationDto
{
    public string? ConversationSid { get; set; }

    public string? ConversationState { get; set; }

    public MessagingBindingDto? ParticipantMessagingBinding { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ConversationDto))]
[JsonSerializable(typeof(ParticipantDto))]
[JsonSerializable(typeof(MessageDto))]
[JsonSerializable(typeof(ParticipantConversationDto))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(string))]
internal sealed partial class ConversationsJsonContext : JsonSerializerContext;

internal static class ConversationsJsonMapping
{
    public static JsonAttributes Attributes(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return default;
        }

        try
        {
            return JsonAttributes.Parse(json);
        }
        catch (ArgumentException)
        {
            // Twilio always stores valid JSON; anything else is kept as a JSON string rather than lost.
            return JsonAttributes.FromJsonElement(JsonSerializer.SerializeToElement(json, ConversationsJsonContext.Default.String));
        }
    }
}
