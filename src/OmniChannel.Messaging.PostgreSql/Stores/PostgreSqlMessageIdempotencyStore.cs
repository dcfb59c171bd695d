using Npgsql;
using OmniChannel.Messaging.PostgreSql.Internal;

namespace OmniChannel.Messaging.PostgreSql.Stores;

/// <summary>
/// Idempotency keys in PostgreSQL. The reservation is one INSERT … ON CONFLICT DO NOTHING, so of two instances sending
/// with one key exactly one sends; the other reads the first one's record (pending or completed).
/// </summary>
internal sealed class PostgreSqlMessageIdempotencyStore(PostgreSqlDatabase database) : IMessageIdempotencyStore
{
    private const string Columns = "key, is_completed, created_at, expires_at, outcome, recipient, message_sid, status, content_sid, "
        + "request_fingerprint, segments, price, price_unit, error_code, error_message, http_status";

    public async ValueTask<MessageIdempotencyRecord?> TryReserveAsync(string key, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var now = database.TimeProvider.GetUtcNow();
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            // A completed record past its lifetime no longer counts; a pending one is kept (its owner may have sent).
            var expired = new NpgsqlCommand($"DELETE FROM {database.Schema}.message_idempotency WHERE key = @key AND is_completed AND expires_at <= @now", connection);
            await using (expired.ConfigureAwait(false))
            {
                expired.Parameters.AddWithValue("key", key);
                expired.Parameters.AddWithValue("now", now);
                await expired.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var reserve = new NpgsqlCommand(
                $"INSERT INTO {database.Schema}.message_idempotency (key, is_completed, created_at, expires_at, outcome) VALUES (@key, false, @now, @expires, 0) ON CONFLICT (key) DO NOTHING",
                connection);
            await using (reserve.ConfigureAwait(false))
            {
                reserve.Parameters.AddWithValue("key", key);
                reserve.Parameters.AddWithValue("now", now);
                reserve.Parameters.AddWithValue("expires", now + lease);
                if (await reserve.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    return null;
                }
            }

            if (await ReadAsync(connection, key, now, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return existing;
            }

            // The holder released the key between our insert and read: try to reserve it again.
        }

        throw new InvalidOperationException($"The idempotency key '{key}' kept changing hands; try the send again.");
    }

    public async ValueTask CompleteAsync(MessageIdempotencyRecord record, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.IsCompleted)
        {
            throw new ArgumentException("Only a completed record can be stored with CompleteAsync.", nameof(record));
        }

        await database.ExecuteAsync(
            $"INSERT INTO {database.Schema}.message_idempotency ({Columns}) VALUES (@key, true, @created, @expires, @outcome, @recipient, @sid, @status, @content, " +
            "@fingerprint, @segments, @price, @priceUnit, @errorCode, @errorMessage, @httpStatus) " +
            "ON CONFLICT (key) DO UPDATE SET is_completed = true, expires_at = EXCLUDED.expires_at, outcome = EXCLUDED.outcome, recipient = EXCLUDED.recipient, " +
            "message_sid = EXCLUDED.message_sid, status = EXCLUDED.status, content_sid = EXCLUDED.content_sid, request_fingerprint = EXCLUDED.request_fingerprint, " +
            "segments = EXCLUDED.segments, price = EXCLUDED.price, price_unit = EXCLUDED.price_unit, error_code = EXCLUDED.error_code, " +
            "error_message = EXCLUDED.error_message, http_status = EXCLUDED.http_status",
            cancellationToken,
            ("key", record.Key),
            ("created", record.CreatedAt),
            ("expires", database.TimeProvider.GetUtcNow() + timeToLive),
            ("outcome", (int)record.Outcome),
            ("recipient", (object?)record.To ?? DBNull.Value),
            ("sid", (object?)record.MessageSid ?? DBNull.Value),
            ("status", (object?)record.Status ?? DBNull.Value),
            ("content", (object?)record.ContentSid ?? DBNull.Value),
            ("fingerprint", (object?)record.RequestFingerprint ?? DBNull.Value),
            ("segments", (object?)record.Segments ?? DBNull.Value),
            ("price", (object?)record.Price ?? DBNull.Value),
            ("priceUnit", (object?)record.PriceUnit ?? DBNull.Value),
            ("errorCode", (object?)record.ErrorCode ?? DBNull.Value),
            ("errorMessage", (object?)record.ErrorMessage ?? DBNull.Value),
            ("httpStatus", (object?)record.HttpStatus ?? DBNull.Value)).ConfigureAwait(false);
    }

    public async ValueTask ReleaseAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        await database.ExecuteAsync(
            $"DELETE FROM {database.Schema}.message_idempotency WHERE key = @key",
            cancellationToken,
            ("key", key)).ConfigureAwait(false);
    }

    public async ValueTask<MessageIdempotencyRecord?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        return await ReadAsync(connection, key, database.TimeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    private async Task<MessageIdempotencyRecord?> ReadAsync(NpgsqlConnection connection, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(
            $"SELECT {Columns} FROM {database.Schema}.message_idempotency WHERE key = @key AND NOT (is_completed AND expires_at <= @now)",
            connection);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("now", now);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new MessageIdempotencyRecord
        {
            Key = reader.GetString(0),
            IsCompleted = reader.GetBoolean(1),
            CreatedAt = await reader.GetFieldValueAsync<DateTimeOffset>(2, cancellationToken).ConfigureAwait(false),
            ExpiresAt = await reader.GetFieldValueAsync<DateTimeOffset>(3, cancellationToken).ConfigureAwait(false),
            Outcome = (MessageSendOutcome)reader.GetInt32(4),
            To = await reader.IsDBNullAsync(5, cancellationToken).ConfigureAwait(false) ? null : reader.GetString(5),
            MessageSid = await reader.IsDBNullAsync(6, cancellationToken).ConfigureAwait(false) ? null : reader.GetString(6),
            Status = await reader.IsDBNullAsync(7, cancellationToken).ConfigureAwait(false) ? null : reader.GetString(7),
            ContentSid = await reader.IsDBNullAsync(8, cancellationToken).ConfigureAwait(false) ? null : reader.GetString(8),
            RequestFingerprint = await reader.IsDBNullAsync(9, cancellationToken).ConfigureAwait(false) ? null : reader.GetString(9),
            Segments = await reader.IsDBNullAsync(10, cancellationToken).ConfigureAwait(false) ? null : reader.GetInt32(10),
            Price = await reader.IsDBNullAsync(11, cancellationToken).ConfigureAwait(false) ? null : reader.GetDecimal(11),
            PriceUnit = await reader.IsDBNullAsync(12, cancellationToken).ConfigureAwait(false) ? null : reader.GetString(12),
            ErrorCode = await reader.IsDBNullAsync(13, cancellationToken).ConfigureAwait(false) ? null : reader.GetInt32(13),
            ErrorMessage = await reader.IsDBNullAsync(14, cancellationToken).ConfigureAwait(false) ? null : reader.GetString(14),
            HttpStatus = await reader.IsDBNullAsync(15, cancellationToken).ConfigureAwait(false) ? null : reader.GetInt32(15),
        };
    }
}
