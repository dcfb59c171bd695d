using OmniChannel.Messaging.PostgreSql.Internal;

namespace OmniChannel.Messaging.PostgreSql.Stores;

/// <summary>The unique-name → conversation SID map in PostgreSQL, so every instance skips the create-409-fetch round trip.</summary>
internal sealed class PostgreSqlConversationUniqueNameStore(PostgreSqlDatabase database) : IConversationUniqueNameStore
{
    public async ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return await database.ScalarAsync(
            $"SELECT conversation_sid FROM {database.Schema}.conversation_unique_names WHERE key = @key AND expires_at > @now",
            cancellationToken,
            ("key", key),
            ("now", database.TimeProvider.GetUtcNow())).ConfigureAwait(false) as string;
    }

    public async ValueTask SetAsync(string key, string conversationSid, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(conversationSid);
        await database.ExecuteAsync(
            $"INSERT INTO {database.Schema}.conversation_unique_names (key, conversation_sid, expires_at) VALUES (@key, @sid, @expires) " +
            "ON CONFLICT (key) DO UPDATE SET conversation_sid = EXCLUDED.conversation_sid, expires_at = EXCLUDED.expires_at",
            cancellationToken,
            ("key", key),
            ("sid", conversationSid),
            ("expires", database.TimeProvider.GetUtcNow() + timeToLive)).ConfigureAwait(false);
    }

    public async ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await database.ExecuteAsync(
            $"DELETE FROM {database.Schema}.conversation_unique_names WHERE key = @key",
            cancellationToken,
            ("key", key)).ConfigureAwait(false);
    }
}
