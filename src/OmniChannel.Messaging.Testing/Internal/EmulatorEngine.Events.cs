using System.Globalization;

namespace OmniChannel.Messaging.Testing.Internal;

internal sealed partial class EmulatorEngine
{
    private static readonly string[] OptOutKeywords = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"];
    private static readonly string[] OptInKeywords = ["START", "YES", "UNSTOP"];

    /// <summary>Applies Twilio's default keyword handling to an inbound body: the whole body, trimmed, any case.</summary>
    public void ApplyKeywords(string scope, string user, string? body)
    {
        var keyword = body?.Trim();
        if (keyword is null)
        {
            return;
        }

        if (OptOutKeywords.Contains(keyword, StringComparer.OrdinalIgnoreCase))
        {
            SetOptOut(scope, user, true);
        }
        else if (OptInKeywords.Contains(keyword, StringComparer.OrdinalIgnoreCase))
        {
            SetOptOut(scope, user, false);
        }
    }

    public List<KeyValuePair<string, string>> MessageAddedParameters(string conversationId, string messageSid)
    {
        lock (gate)
        {
            var (service, conversation) = FindConversationAnywhere(conversationId);
            var message = FindConversationMessage(conversation, messageSid, messageSid);
            var parameters = Common("onMessageAdded", service, conversation);
            parameters.Add(new("MessageSid", message.Sid));
            parameters.Add(new("Index", message.Index.ToString(CultureInfo.InvariantCulture)));
            parameters.Add(new("DateCreated", Json.Iso(message.DateCreated)));
            parameters.Add(new("Author", message.Author));
            if (message.Body is not null)
            {
                parameters.Add(new("Body", message.Body));
            }

            if (message.ParticipantSid is not null)
            {
                parameters.Add(new("ParticipantSid", message.ParticipantSid));
            }

            parameters.Add(new("Attributes", message.Attributes));
            if (message.MediaSid is not null)
            {
                parameters.Add(new("Media", $"[{{\"Sid\":\"{message.MediaSid}\",\"ContentType\":\"application/octet-stream\",\"Filename\":null,\"Size\":0}}]"));
            }

            return parameters;
        }
    }

    public List<KeyValuePair<string, string>> ParticipantAddedParameters(string conversationId, string participantId)
    {
        lock (gate)
        {
            var (service, conversation) = FindConversationAnywhere(conversationId);
            var participant = FindParticipant(conversation, participantId, participantId);
            var parameters = Common("onParticipantAdded", service, conversation);
            parameters.Add(new("ParticipantSid", participant.Sid));
            parameters.Add(new("DateCreated", Json.Iso(participant.DateCreated)));
            if (participant.Identity is not null)
            {
                parameters.Add(new("Identity", participant.Identity));
            }

            if (participant.Address is not null)
            {
                parameters.Add(new("MessagingBinding.Type", participant.BindingType!));
                parameters.Add(new("MessagingBinding.Address", participant.Address));
            }

            if (participant.ProxyAddress is not null)
            {
                parameters.Add(new("MessagingBinding.ProxyAddress", participant.ProxyAddress));
            }

            if (participant.RoleSid is not null)
            {
                parameters.Add(new("RoleSid", participant.RoleSid));
            }

            parameters.Add(new("Attributes", participant.Attributes));
            return parameters;
        }
    }

    public List<KeyValuePair<string, string>> DeliveryUpdatedParameters(string conversationId, string messageSid, string participantId, string status, int? errorCode)
    {
        lock (gate)
        {
            var (service, conversation) = FindConversationAnywhere(conversationId);
            var message = FindConversationMessage(conversation, messageSid, messageSid);
            var participant = FindParticipant(conversation, participantId, participantId);
            var now = Json.Iso(Now);
            var parameters = Common("onDeliveryUpdated", service, conversation);
            parameters.Add(new("MessageSid", message.Sid));
            parameters.Add(new("DeliveryReceiptSid", Sids.New("DY")));
            parameters.Add(new("ChannelMessageSid", Sids.New("SM")));
            parameters.Add(new("ParticipantSid", participant.Sid));
            parameters.Add(new("Status", status));
            parameters.Add(new("ErrorCode", (errorCode ?? 0).ToString(CultureInfo.InvariantCulture)));
            parameters.Add(new("DateCreated", now));
            parameters.Add(new("DateUpdated", now));
            return parameters;
        }
    }

    private List<KeyValuePair<string, string>> Common(string eventType, ChatService service, ConversationRecord conversation)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("EventType", eventType),
            new("AccountSid", AccountSid),
            new("ChatServiceSid", service.Sid),
            new("ConversationSid", conversation.Sid),
            new("Source", "API"),
        };
        if (conversation.MessagingServiceSid is not null)
        {
            parameters.Add(new("MessagingServiceSid", conversation.MessagingServiceSid));
        }

        return parameters;
    }

    private (ChatService Service, ConversationRecord Conversation) FindConversationAnywhere(string id)
    {
        foreach (var service in services.Values)
        {
            if (service.Find(id) is { } conversation)
            {
                return (service, conversation);
            }
        }

        throw new ArgumentException($"No conversation '{id}' exists in the emulator.", nameof(id));
    }
}
