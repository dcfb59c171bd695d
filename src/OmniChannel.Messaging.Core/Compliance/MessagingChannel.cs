namespace OmniChannel.Messaging;

/// <summary>Identifies the channel a message travels on.</summary>
public enum MessagingChannel
{
    /// <summary>SMS and MMS (and RCS, whose opt-outs Twilio shares with SMS for the same sender).</summary>
    Sms = 0,

    /// <summary>WhatsApp.</summary>
    WhatsApp = 1,

    /// <summary>In-app chat (Conversations SDK identities).</summary>
    Chat = 2,
}
