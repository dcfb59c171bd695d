namespace OmniChannel.Messaging.Conversations;

/// <summary>Provides convenience methods over <see cref="IConversationsClient"/>.</summary>
public static class ConversationsClientExtensions
{
    /// <summary>Builds a tenant-scoped unique name, <c>t_{tenant}_{key}</c>, so tenants sharing one Twilio service never collide.</summary>
    /// <param name="tenant">The tenant id: letters, digits and dashes.</param>
    /// <param name="key">The tenant's own key, for example <c>case_10492</c> or <c>sms:+14155550100</c>.</param>
    /// <returns>The unique name.</returns>
    /// <exception cref="ArgumentException">The tenant id is empty or holds characters other than letters, digits and dashes, or the key is empty.</exception>
    public static string TenantUniqueName(string tenant, string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        foreach (var c in tenant)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                throw new ArgumentException($"The tenant id '{tenant}' may hold only ASCII letters, digits and dashes, so that 't_{{tenant}}_' stays unambiguous.", nameof(tenant));
            }
        }

        return $"t_{tenant}_{key}";
    }

    /// <summary>Closes a conversation: it takes no more messages and its SMS and WhatsApp bindings are freed.</summary>
    /// <param name="client">The client.</param>
    /// <param name="conversationSid">The conversation SID (<c>CH…</c>).</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The closed conversation.</returns>
    public static Task<Conversation> CloseAsync(this IConversationsClient client, string conversationSid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.UpdateAsync(conversationSid, new ConversationUpdate { State = ConversationState.Closed }, cancellationToken);
    }

    /// <summary>Posts a text message.</summary>
    /// <param name="client">The client.</param>
    /// <param name="conversationSid">The conversation SID (<c>CH…</c>).</param>
    /// <param name="author">The author: a chat identity or a phone address.</param>
    /// <param name="body">The text.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The posted message.</returns>
    public static Task<ConversationMessage> SendMessageAsync(this IConversationsClient client, string conversationSid, string author, string body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.SendMessageAsync(conversationSid, new ConversationMessageRequest { Author = author, Body = body }, cancellationToken);
    }

    /// <summary>Finds a chat participant by identity.</summary>
    /// <param name="client">The client.</param>
    /// <param name="conversationSid">The conversation SID (<c>CH…</c>).</param>
    /// <param name="identity">The chat identity.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The participant, or <see langword="null"/>.</returns>
    public static Task<Participant?> FindParticipantByIdentityAsync(this IConversationsClient client, string conversationSid, string identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.FindParticipantAsync(conversationSid, ParticipantBinding.Chat(identity), cancellationToken);
    }
}
