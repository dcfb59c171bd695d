using Npgsql;
using OmniChannel.Messaging.PostgreSql.Internal;

namespace OmniChannel.Messaging.PostgreSql.Stores;

/// <summary>The unique-name → conversation SID map in PostgreSQL, so every instance skips the create-409-fetch round trip.</summary>
internal sealed class PostgreSqlConversationUniqueNameStore(PostgreSqlDatabase database) : IConversationUniqueNameStore
{
    public async ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = new NpgsqlCommand(
            $"SELECT conversation_sid FROM {database.Schema}.conversation_unique_names WHERE key = @key AND expires_at > @now",
            connection);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("now", database.TimeProvider.GetUtcNow());
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    public async ValueTask SetAsync(string key, string conversationSid, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(conversationSid);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = new NpgsqlCommand(
            $"INSERT INTO {database.Schema}.conversation_unique_names (key, conversation_sid, expires_at) VALUES (@key, @sid, @expires) " +
            "ON CONFLICT (key) DO UPDATE SET conversation_sid = EXCLUDED.conversation_sid, expires_at = EXCLUDED.expires_at",
            connection);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("sid", conversationSid);
        command.Parameters.AddWithValue("expires", database.TimeProvider.GetUtcNow() + timeToLive);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = new NpgsqlCommand($"DELETE FROM {database.Schema}.conversation_unique_names WHERE key = @key", connection);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.AddWithValue("key", key);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
