namespace OmniChannel.Messaging;

/// <summary>
/// Provides the unique-name → conversation SID map that the Conversations client's <c>GetOrCreateAsync</c> consults before
/// calling Twilio. The default lives in memory; share one (for example the PostgreSQL store) across app instances.
/// </summary>
/// <remarks>Keys already hold the account and service, so one store can serve several accounts.</remarks>
public interface IConversationUniqueNameStore
{
    /// <summary>Gets the conversation SID stored for a key, or <see langword="null"/> when none is stored or it expired.</summary>
    /// <param name="key">The scoped unique name.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The conversation SID, or <see langword="null"/>.</returns>
    ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores a conversation SID for a key.</summary>
    /// <param name="key">The scoped unique name.</param>
    /// <param name="conversationSid">The conversation SID (<c>CH…</c>).</param>
    /// <param name="timeToLive">How long the entry is valid.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>A task that completes when the entry is stored.</returns>
    ValueTask SetAsync(string key, string conversationSid, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Removes the entry for a key, for example after Twilio answered 404 for its SID.</summary>
    /// <param name="key">The scoped unique name.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>A task that completes when the entry is gone.</returns>
    ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default);
}
