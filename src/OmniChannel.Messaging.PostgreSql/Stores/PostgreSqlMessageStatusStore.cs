using Npgsql;
using OmniChannel.Messaging.PostgreSql.Internal;

namespace OmniChannel.Messaging.PostgreSql.Stores;

/// <summary>
/// Folded message statuses in PostgreSQL. Each event is applied under a row lock (SELECT … FOR UPDATE on a row created
/// by INSERT … ON CONFLICT DO NOTHING), so callbacks for one message handled by different instances fold to the same
/// answer the reducer gives in memory, whatever the order.
/// </summary>
internal sealed class PostgreSqlMessageStatusStore(PostgreSqlDatabase database) : IMessageStatusStore
{
    public async ValueTask<MessageStatusEvent> ApplyAsync(string messageSid, MessageStatusEvent statusEvent, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageSid);
        if (statusEvent.IsEmpty)
        {
            return await GetAsync(messageSid, cancellationToken).ConfigureAwait(false) ?? statusEvent;
        }

        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);

        var ensure = new NpgsqlCommand($"INSERT INTO {database.Schema}.message_status (message_sid) VALUES (@sid) ON CONFLICT DO NOTHING", connection, transaction);
        await using (ensure.ConfigureAwait(false))
        {
            ensure.Parameters.AddWithValue("sid", messageSid);
            await ensure.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var current = await ReadAsync(connection, transaction, messageSid, forUpdate: true, cancellationToken).ConfigureAwait(false);
        var folded = current is { } existing ? MessageStatusReducer.Apply(existing, statusEvent) : statusEvent;
        var update = new NpgsqlCommand(
            $"UPDATE {database.Schema}.message_status SET status = @status, error_code = @error, occurred_at = @at, updated_at = @now WHERE message_sid = @sid",
            connection,
            transaction);
        await using (update.ConfigureAwait(false))
        {
            update.Parameters.AddWithValue("sid", messageSid);
            update.Parameters.AddWithValue("status", folded.Status.ToString());
            update.Parameters.AddWithValue("error", (object?)folded.ErrorCode ?? DBNull.Value);
            update.Parameters.AddWithValue("at", folded.Timestamp);
            update.Parameters.AddWithValue("now", database.TimeProvider.GetUtcNow());
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return folded;
    }

    public async ValueTask<MessageStatusEvent?> GetAsync(string messageSid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageSid);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        return await ReadAsync(connection, null, messageSid, forUpdate: false, cancellationToken).ConfigureAwait(false);
    }

    private async Task<MessageStatusEvent?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string messageSid, bool forUpdate, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(
            $"SELECT status, error_code, occurred_at FROM {database.Schema}.message_status WHERE message_sid = @sid{(forUpdate ? " FOR UPDATE" : string.Empty)}",
            connection,
            transaction);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.AddWithValue("sid", messageSid);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || await reader.IsDBNullAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new MessageStatusEvent(
            new MessageStatus(reader.GetString(0)),
            await reader.GetFieldValueAsync<DateTimeOffset>(2, cancellationToken).ConfigureAwait(false),
            await reader.IsDBNullAsync(1, cancellationToken).ConfigureAwait(false) ? null : reader.GetInt32(1));
    }
}
