using Npgsql;
using OmniChannel.Messaging.PostgreSql.Internal;

namespace OmniChannel.Messaging.PostgreSql.Stores;

/// <summary>Consent records in PostgreSQL: the latest grant per channel and recipient, with its revocation.</summary>
internal sealed class PostgreSqlConsentStore(PostgreSqlDatabase database) : IConsentStore
{
    public async ValueTask RecordAsync(ConsentRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Recipient, nameof(record));
        await database.ExecuteAsync(
            $"INSERT INTO {database.Schema}.consents (channel, recipient, granted_at, source, proof_text, revoked_at) VALUES (@channel, @recipient, @granted, @source, @proof, @revoked) " +
            "ON CONFLICT (channel, recipient) DO UPDATE SET granted_at = EXCLUDED.granted_at, source = EXCLUDED.source, proof_text = EXCLUDED.proof_text, revoked_at = EXCLUDED.revoked_at",
            cancellationToken,
            ("channel", record.Channel.ToString()),
            ("recipient", record.Recipient),
            ("granted", record.GrantedAt),
            ("source", (object?)record.Source ?? DBNull.Value),
            ("proof", (object?)record.ProofText ?? DBNull.Value),
            ("revoked", (object?)record.RevokedAt ?? DBNull.Value)).ConfigureAwait(false);
    }

    public async ValueTask<bool> RevokeAsync(MessagingChannel channel, string recipient, DateTimeOffset revokedAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        return await database.ExecuteAsync(
            $"UPDATE {database.Schema}.consents SET revoked_at = @revoked WHERE channel = @channel AND recipient = @recipient",
            cancellationToken,
            ("channel", channel.ToString()),
            ("recipient", recipient),
            ("revoked", revokedAt)).ConfigureAwait(false) == 1;
    }

    public async ValueTask<ConsentRecord?> GetAsync(MessagingChannel channel, string recipient, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = new NpgsqlCommand($"SELECT granted_at, source, proof_text, revoked_at FROM {database.Schema}.consents WHERE channel = @channel AND recipient = @recipient", connection);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.AddWithValue("channel", channel.ToString());
        command.Parameters.AddWithValue("recipient", recipient);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new ConsentRecord
        {
            Channel = channel,
            Recipient = recipient,
            GrantedAt = await reader.GetFieldValueAsync<DateTimeOffset>(0, cancellationToken).ConfigureAwait(false),
            Source = await reader.IsDBNullAsync(1, cancellationToken).ConfigureAwait(false) ? null : reader.GetString(1),
            ProofText = await reader.IsDBNullAsync(2, cancellationToken).ConfigureAwait(false) ? null : reader.GetString(2),
            RevokedAt = await reader.IsDBNullAsync(3, cancellationToken).ConfigureAwait(false) ? null : await reader.GetFieldValueAsync<DateTimeOffset>(3, cancellationToken).ConfigureAwait(false),
        };
    }
}
