using Npgsql;
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
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = new NpgsqlCommand(
            $"INSERT INTO {database.Schema}.webhook_dedupe (key, expires_at) VALUES (@key, @expires) " +
            $"ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE {database.Schema}.webhook_dedupe.expires_at <= @now",
            connection);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("expires", now + timeToLive);
        command.Parameters.AddWithValue("now", now);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask ReleaseAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = new NpgsqlCommand($"DELETE FROM {database.Schema}.webhook_dedupe WHERE key = @key", connection);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.AddWithValue("key", key);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
