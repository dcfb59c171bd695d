namespace OmniChannel.Messaging;

/// <summary>Identifies the Twilio API host a request goes to.</summary>
public enum TwilioProduct
{
    /// <summary>The core REST API at <c>api.twilio.com</c> (Programmable Messaging, <c>/2010-04-01</c>).</summary>
    Api = 0,

    /// <summary>The Conversations API at <c>conversations.twilio.com</c> (<c>/v1</c>).</summary>
    Conversations = 1,
}
