namespace OmniChannel.Messaging;

/// <summary>Represents the channel of a <see cref="ChannelAddress"/>.</summary>
public enum ChannelKind
{
    /// <summary>No channel: the default value of <see cref="ChannelAddress"/>.</summary>
    None = 0,

    /// <summary>SMS/MMS to an E.164 phone number.</summary>
    Sms,

    /// <summary>WhatsApp to an E.164 phone number, written <c>whatsapp:+E164</c>.</summary>
    WhatsApp,

    /// <summary>In-app chat to a Conversations identity.</summary>
    Chat,
}
