using System.Globalization;

namespace OmniChannel.Messaging.AspNetCore.Internal;

internal enum WebhookKind
{
    InboundMessage,
    StatusCallback,
    ConversationEvent,
}

/// <summary>Builds the typed payloads from the parameters; only the key field is required, every other field is optional.</summary>
internal static class WebhookPayloads
{
    public static InboundMessage? Inbound(WebhookFields f, OptOutClassifier classifier, DateTimeOffset receivedAt)
    {
        if ((f["MessageSid"] ?? f["SmsMessageSid"] ?? f["SmsSid"]) is not { } sid)
        {
            return null;
        }

        var from = f["From"];
        var body = f.First("Body") ?? string.Empty;
        return new InboundMessage
        {
            MessageSid = sid,
            AccountSid = f["AccountSid"],
            MessagingServiceSid = f["MessagingServiceSid"],
            From = from,
            To = f["To"],
            Body = body,
            Channel = ChannelOf(from),
            Media = MediaOf(f),
            NumSegments = f.Int("NumSegments"),
            WaId = f["WaId"],
            ProfileName = f["ProfileName"],
            OptOutType = f["OptOutType"],
            Keyword = classifier.Classify(body),
            ReceivedAt = receivedAt,
            Parameters = f.Pairs,
        };
    }

    public static StatusCallback? Status(WebhookFields f, DateTimeOffset receivedAt)
    {
        if ((f["MessageSid"] ?? f["SmsSid"]) is not { } sid)
        {
            return null;
        }

        return new StatusCallback
        {
            MessageSid = sid,
            AccountSid = f["AccountSid"],
            MessagingServiceSid = f["MessagingServiceSid"],
            From = f["From"],
            To = f["To"],
            Status = MessageStatus.FromSpan((f["MessageStatus"] ?? f["SmsStatus"] ?? string.Empty).AsSpan().Trim()),
            ErrorCode = f.Int("ErrorCode"),
            RawDlrDoneDate = f["RawDlrDoneDate"],
            ReceivedAt = receivedAt,
            Parameters = f.Pairs,
        };
    }

    public static ConversationEvent? Conversation(WebhookFields f, DateTimeOffset receivedAt)
    {
        if (f["EventType"] is not { } eventType)
        {
            return null;
        }

        return new ConversationEvent
        {
            EventType = new ConversationEventType(eventType),
            AccountSid = f["AccountSid"],
            ChatServiceSid = f["ChatServiceSid"],
            ConversationSid = f["ConversationSid"],
            Source = f["Source"],
            ClientIdentity = f["ClientIdentity"],
            MessagingServiceSid = f["MessagingServiceSid"],
            FriendlyName = f["FriendlyName"],
            UniqueName = f["UniqueName"],
            StateFrom = f["StateFrom"],
            StateTo = f["StateTo"],
            Reason = f["Reason"],
            StateUpdated = f.Date("StateUpdated"),
            MessageSid = f["MessageSid"],
            Index = f.Long("Index"),
            Body = f["Body"],
            Author = f["Author"],
            Media = f["Media"],
            ParticipantSid = f["ParticipantSid"],
            Identity = f["Identity"],
            MessagingBindingType = f["MessagingBinding.Type"],
            MessagingBindingAddresses = f.All("MessagingBinding.Address"),
            MessagingBindingProxyAddress = f["MessagingBinding.ProxyAddress"],
            RoleSid = f["RoleSid"],
            Attributes = f["Attributes"],
            DeliveryReceiptSid = f["DeliveryReceiptSid"],
            ChannelMessageSid = f["ChannelMessageSid"],
            Status = MessageStatus.FromSpan((f["Status"] ?? string.Empty).AsSpan().Trim()),
            ErrorCode = f.Int("ErrorCode"),
            DateCreated = f.Date("DateCreated"),
            DateUpdated = f.Date("DateUpdated"),
            ReceivedAt = receivedAt,
            Parameters = f.Pairs,
        };
    }

    public static MessagingChannel ChannelOf(string? address) =>
        address is not null && address.StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase) ? MessagingChannel.WhatsApp : MessagingChannel.Sms;

    private static List<InboundMedia> MediaOf(WebhookFields f)
    {
        var media = new List<InboundMedia>();
        var declared = f.Int("NumMedia") ?? 0;

        // Walk MediaUrl0, MediaUrl1, … as sent; NumMedia may be absent or disagree, the URLs are the truth.
        for (var i = 0; i < Math.Max(declared, 10) + 1; i++)
        {
            var url = f["MediaUrl" + i.ToString(CultureInfo.InvariantCulture)];
            if (url is null)
            {
                if (i >= declared)
                {
                    break;
                }

                continue;
            }

            media.Add(new InboundMedia(url, f["MediaContentType" + i.ToString(CultureInfo.InvariantCulture)]));
        }

        return media;
    }
}
