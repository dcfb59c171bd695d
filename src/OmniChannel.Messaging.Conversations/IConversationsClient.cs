namespace OmniChannel.Messaging.Conversations;

/// <summary>
/// Provides Twilio Conversations: the one thread SMS, WhatsApp and chat participants share. Creation by unique name is
/// idempotent and adding a participant that is already there is a success.
/// </summary>
/// <remarks>
/// Every SID argument is checked before any call (prefix and length) and phone numbers are normalized to E.164. Twilio
/// errors surface as <see cref="TwilioApiException"/>; see the Core transport for timeouts and retries. Register with
/// <c>AddOmniChannelMessaging(...).AddConversations(...)</c>.
/// </remarks>
public interface IConversationsClient
{
    /// <summary>Creates a conversation.</summary>
    /// <remarks>
    /// The POST is never repeated after an ambiguous failure (5xx, timeout, dropped connection): it may have been committed,
    /// and a repeat would answer 50353 for a conversation that exists. Use <see cref="GetOrCreateAsync"/> when a unique name
    /// should be resolved to its conversation whatever happened.
    /// </remarks>
    /// <param name="uniqueName">An application-defined unique name, or <see langword="null"/>.</param>
    /// <param name="options">The conversation's settings, or <see langword="null"/> for defaults.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The new conversation.</returns>
    /// <exception cref="ArgumentException">A setting is invalid (a bad SID, attributes over 16 KB).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A timer is shorter than Twilio's minimum.</exception>
    /// <exception cref="TwilioApiException">Twilio refused, for example 409 with code 50353 when the unique name is taken.</exception>
    Task<Conversation> CreateAsync(string? uniqueName, ConversationOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns the conversation with a unique name, creating it when there is none. Safe under races: concurrent calls in
    /// one process share one request, and a create that loses a race with another process fetches the winner.
    /// </summary>
    /// <remarks>
    /// Answers from an in-process cache (and the shared <see cref="IConversationUniqueNameStore"/>) for
    /// <see cref="ConversationsOptions.UniqueNameCacheDuration"/>. A 404 from any call on a cached conversation evicts it
    /// (see <see cref="EvictCachedAsync"/>), so the next call creates it again. Each caller's
    /// <paramref name="options"/> are checked before the cache and before joining a shared request. Only the caller that
    /// started the request that created the conversation gets <see cref="EnsureResult{T}.Created"/> set (or, when it was
    /// canceled, one caller that joined it); the other callers that joined it get <see langword="false"/>. A failing store (it throws) is logged and bypassed: the call goes on with create, and a fetch
    /// on 409.
    /// </remarks>
    /// <param name="uniqueName">The unique name, for example from <see cref="ConversationsClientExtensions.TenantUniqueName"/>.</param>
    /// <param name="options">The settings used when the conversation is created; ignored when it exists or when another caller's request for the same name is already running.</param>
    /// <param name="cancellationToken">The token to stop waiting with; a shared request in flight goes on for the other callers.</param>
    /// <returns>The conversation, and whether this call created it.</returns>
    Task<EnsureResult<Conversation>> GetOrCreateAsync(string uniqueName, ConversationOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Fetches a conversation by SID (<c>CH…</c>) or unique name.</summary>
    /// <param name="sidOrUniqueName">The SID or the unique name.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The conversation, or <see langword="null"/> when Twilio has none (404).</returns>
    Task<Conversation?> GetAsync(string sidOrUniqueName, CancellationToken cancellationToken = default);

    /// <summary>Updates a conversation; only the properties set in <paramref name="update"/> change.</summary>
    /// <param name="conversationSid">The conversation SID (<c>CH…</c>).</param>
    /// <param name="update">The changes.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The updated conversation.</returns>
    Task<Conversation> UpdateAsync(string conversationSid, ConversationUpdate update, CancellationToken cancellationToken = default);

    /// <summary>Deletes a conversation and its messages. Deleting one that does not exist is not an error.</summary>
    /// <param name="conversationSid">The conversation SID (<c>CH…</c>).</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns><see langword="true"/> when it was deleted; <see langword="false"/> when there was none.</returns>
    Task<bool> DeleteAsync(string conversationSid, CancellationToken cancellationToken = default);

    /// <summary>Lists conversations, newest first as Twilio returns them, fetching pages as they are enumerated.</summary>
    /// <param name="state">Only conversations in this state, or <see langword="null"/> for all.</param>
    /// <param name="pageSize">The page size (1–100), or <see langword="null"/> for Twilio's default of 50.</param>
    /// <param name="cancellationToken">The token to cancel the enumeration with.</param>
    /// <returns>The conversations.</returns>
    IAsyncEnumerable<Conversation> ListAsync(ConversationState? state = null, int? pageSize = null, CancellationToken cancellationToken = default);

    /// <summary>Adds a participant; fails when it is already there (use <see cref="EnsureParticipantAsync"/> to make that a success).</summary>
    /// <param name="conversationSid">The conversation SID (<c>CH…</c>).</param>
    /// <param name="binding">Who the participant is.</param>
    /// <param name="attributes">The participant's attributes, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The new participant.</returns>
    Task<Participant> AddParticipantAsync(string conversationSid, ParticipantBinding binding, JsonAttributes? attributes = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes sure a participant is in the conversation: returns the one there or adds it. Twilio's "participant already
    /// exists" answers (50433, 50437) count as success. A binding held by another open conversation (50416) throws
    /// <see cref="ParticipantConflictException"/>; a 50416 that names this conversation, or that no other open conversation
    /// accounts for, is success when this conversation holds a participant with the binding. Calls for one conversation run one at a time.
    /// </summary>
    /// <param name="conversationSid">The conversation SID (<c>CH…</c>).</param>
    /// <param name="binding">Who the participant is.</param>
    /// <param name="attributes">The attributes used when the participant is added; ignored when it exists.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The participant, and whether this call added it.</returns>
    /// <exception cref="ParticipantConflictException">The address and proxy are bound in another open conversation (50416), or a participant with the same address has another proxy.</exception>
    /// <exception cref="TwilioApiException">Twilio refused otherwise: 404 when the conversation is gone (its cache entries are evicted), or 409/50391 still answered after <see cref="ConversationsOptions.ConflictRetries"/> retries.</exception>
    Task<EnsureResult<Participant>> EnsureParticipantAsync(string conversationSid, ParticipantBinding binding, JsonAttributes? attributes = null, CancellationToken cancellationToken = default);

    /// <summary>Finds a participant by address alone: a chat identity, an SMS number or a <c>whatsapp:</c> number, whatever its proxy.</summary>
    /// <param name="conversationSid">The conversation SID (<c>CH…</c>).</param>
    /// <param name="address">The address: <c>agent-7</c>, <c>+14155550100</c> (any common format, read with <see cref="ConversationsOptions.DefaultRegion"/>) or <c>whatsapp:+447700900123</c>.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The participant (the first with that address when several proxies bind it), or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="address"/> looks like a phone number but is not one.</exception>
    Task<Participant?> FindParticipantAsync(string conversationSid, string address, CancellationToken cancellationToken = default);

    /// <summary>Finds a participant by binding: by identity for chat, by address and proxy for SMS and WhatsApp.</summary>
    /// <param name="conversationSid">The conversation SID (<c>CH…</c>).</param>
    /// <param name="binding">Who the participant is.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The participant, or <see langword="null"/>.</returns>
    Task<Participant?> FindParticipantAsync(string conversationSid, ParticipantBinding binding, CancellationToken cancellationToken = default);

    /// <summary>Updates a participant; only the properties set in <paramref name="update"/> change.</summary>
    /// <param name="conversationSid">The conversation SID (<c>CH…</c>).</param>
    /// <param name="participantSid">The participant SID (<c>MB…</c>).</param>
    /// <param name="update">The changes.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The updated participant.</returns>
    Task<Participant> UpdateParticipantAsync(string conversationSid, string participantSid, ParticipantUpdate update, CancellationToken cancellationToken = default);

    /// <summary>Removes a participant. Removing one that is not there is not an error.</summary>
    /// <param name="conversationSid">The conversation SID (<c>CH…</c>).</param>
    /// <param name="participantSid">The participant SID (<c>MB…</c>).</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns><see langword="true"/> when it was removed; <see langword="false"/> when there was none.</returns>
    Task<bool> RemoveParticipantAsync(string conversationSid, string participantSid, CancellationToken cancellationToken = default);

    /// <summary>Lists a conversation's participants.</summary>
    /// <param name="conversationSid">The conversation SID (<c>CH…</c>).</param>
    /// <param name="cancellationToken">The token to cancel the enumeration with.</param>
    /// <returns>The participants.</returns>
    IAsyncEnumerable<Participant> ListParticipantsAsync(string conversationSid, CancellationToken cancellationToken = default);

    /// <summary>Posts a message. It is never repeated after an ambiguous failure, so it is never posted twice by the client.</summary>
    /// <param name="conversationSid">The conversation SID (<c>CH…</c>).</param>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The posted message.</returns>
    Task<ConversationMessage> SendMessageAsync(string conversationSid, ConversationMessageRequest message, CancellationToken cancellationToken = default);

    /// <summary>Fetches a message.</summary>
    /// <param name="conversationSid">The conversation SID (<c>CH…</c>).</param>
    /// <param name="messageSid">The message SID (<c>IM…</c>).</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The message, or <see langword="null"/> when there is none.</returns>
    Task<ConversationMessage?> GetMessageAsync(string conversationSid, string messageSid, CancellationToken cancellationToken = default);

    /// <summary>Lists a conversation's messages.</summary>
    /// <param name="conversationSid">The conversation SID (<c>CH…</c>).</param>
    /// <param name="order">Oldest or newest first.</param>
    /// <param name="pageSize">The page size (1–100), or <see langword="null"/> for Twilio's default of 50.</param>
    /// <param name="cancellationToken">The token to cancel the enumeration with.</param>
    /// <returns>The messages.</returns>
    IAsyncEnumerable<ConversationMessage> ListMessagesAsync(string conversationSid, MessageOrder order = MessageOrder.Ascending, int? pageSize = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a message. Deleting one that does not exist is not an error.</summary>
    /// <param name="conversationSid">The conversation SID (<c>CH…</c>).</param>
    /// <param name="messageSid">The message SID (<c>IM…</c>).</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns><see langword="true"/> when it was deleted; <see langword="false"/> when there was none.</returns>
    Task<bool> DeleteMessageAsync(string conversationSid, string messageSid, CancellationToken cancellationToken = default);

    /// <summary>
    /// Drops what this client has cached: for a conversation SID or unique name, its unique-name mapping (in this process
    /// and in the shared <see cref="IConversationUniqueNameStore"/>) and its participants; for a participant SID
    /// (<c>MB…</c>), that participant. The next get-or-create or ensure asks Twilio again. The client does this by itself
    /// when a call on a cached conversation answers 404.
    /// </summary>
    /// <param name="sidOrUniqueName">A conversation SID (<c>CH…</c>), a participant SID (<c>MB…</c>) or a unique name.</param>
    /// <param name="cancellationToken">The token to cancel the store call with.</param>
    /// <returns>A task that completes when the entries are gone.</returns>
    ValueTask EvictCachedAsync(string sidOrUniqueName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns a client that sends <c>X-Twilio-Webhook-Enabled: true</c> on its changes (create, update, delete of
    /// conversations, participants and messages) when <paramref name="enabled"/> is <see langword="true"/>, and no header
    /// otherwise, overriding <see cref="ConversationsOptions.EnableWebhooks"/> for the calls made through it. It shares this
    /// client's caches; a get-or-create that joins a request already running uses that request's setting.
    /// </summary>
    /// <param name="enabled">Whether the calls fire the service's webhooks.</param>
    /// <returns>The client for those calls.</returns>
    IConversationsClient WithWebhooks(bool enabled);
}
