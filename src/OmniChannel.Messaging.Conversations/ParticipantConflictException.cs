namespace OmniChannel.Messaging.Conversations;

/// <summary>
/// Represents a participant that cannot be added because its address is already bound elsewhere: the address and proxy
/// pair belongs to another open conversation (Twilio 50416), or the conversation holds the address with another proxy.
/// </summary>
/// <remarks>Close or leave the other conversation, or route the message there. This is never retried or swallowed.</remarks>
public sealed class ParticipantConflictException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ParticipantConflictException"/> class.</summary>
    /// <param name="conversationSid">The conversation the participant was meant for.</param>
    /// <param name="address">The participant's normalized address.</param>
    /// <param name="proxyAddress">The normalized proxy address.</param>
    /// <param name="conflictingConversationSid">The conversation that holds the binding, when it could be found.</param>
    /// <param name="innerException">Twilio's answer, when there was one.</param>
    public ParticipantConflictException(string conversationSid, string address, string? proxyAddress, string? conflictingConversationSid, Exception? innerException)
        : base(FormatMessage(conversationSid, address, proxyAddress, conflictingConversationSid), innerException)
    {
        ConversationSid = conversationSid;
        Address = address;
        ProxyAddress = proxyAddress;
        ConflictingConversationSid = conflictingConversationSid;
    }

    /// <summary>Gets the conversation the participant was meant for.</summary>
    public string ConversationSid { get; }

    /// <summary>Gets the participant's normalized address.</summary>
    public string Address { get; }

    /// <summary>Gets the normalized proxy address.</summary>
    public string? ProxyAddress { get; }

    /// <summary>Gets the conversation that holds the binding, or <see langword="null"/> when it could not be found.</summary>
    public string? ConflictingConversationSid { get; }

    private static string FormatMessage(string conversationSid, string address, string? proxyAddress, string? conflicting) =>
        conflicting is null
            ? $"Cannot add {address} (proxy {proxyAddress}) to conversation {conversationSid}: the pair is bound in another open conversation, which could not be found (Twilio's message did not name it and ParticipantConversations listed none)."
            : conflicting == conversationSid
                ? $"Cannot add {address} (proxy {proxyAddress}) to conversation {conversationSid}: it is already there with another proxy address."
                : $"Cannot add {address} (proxy {proxyAddress}) to conversation {conversationSid}: the pair is bound in open conversation {conflicting}.";
}
