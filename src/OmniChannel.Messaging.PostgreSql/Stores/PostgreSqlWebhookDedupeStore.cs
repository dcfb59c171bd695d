using OmniChannel.Messaging.PostgreSql.Internal;

namespace OmniChannel.Messaging.PostgreSql.Stores;

/// <summary>
/// Webhook dedupe keys in PostgreSQL: "first seen wins" is one INSERT … ON CONFLICT statement (an expired key is taken
/// over in the same statement), so a retry delivered to another instance is recognised with no read-then-write race.
/// </summary>
internal sealed class PostgreSqlWebhookDedupeStore(PostgreSqlDatabase database) : IWebhookDedupeStore
{
    public async ValueTask<bool> TryMarkSeenAsync(string key, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var now = database.TimeProvider.GetUtcNow();
        return await database.ExecuteAsync(
            $"INSERT INTO {database.Schema}.webhook_dedupe (key, expires_at) VALUES (@key, @expires) " +
            $"ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE {database.Schema}.webhook_dedupe.expires_at <= @now",
            cancellationToken,
            ("key", key),
            ("expires", now + timeToLive),
            ("now", now)).ConfigureAwait(false) == 1;
    }

    public async ValueTask ReleaseAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        await database.ExecuteAsync(
            $"DELETE FROM {database.Schema}.webhook_dedupe WHERE key = @key",
            cancellationToken,
            ("key", key)).ConfigureAwait(false);
    }
}
