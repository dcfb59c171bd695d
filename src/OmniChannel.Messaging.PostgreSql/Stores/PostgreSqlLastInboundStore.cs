using Npgsql;
using OmniChannel.Messaging.PostgreSql.Internal;

namespace OmniChannel.Messaging.PostgreSql.Stores;

/// <summary>Last-inbound times in PostgreSQL; a later time always wins, whichever instance writes first.</summary>
internal sealed class PostgreSqlLastInboundStore(PostgreSqlDatabase database) : ILastInboundStore
{
    public ValueTask RecordInboundAsync(string senderAddress, string userAddress, DateTimeOffset receivedAt, CancellationToken cancellationToken = default) =>
        UpsertAsync("last_inbound_at", senderAddress, userAddress, receivedAt, cancellationToken);

    public ValueTask RecordFreeEntryPointAsync(string senderAddress, string userAddress, DateTimeOffset openedAt, CancellationToken cancellationToken = default) =>
        UpsertAsync("free_entry_opened_at", senderAddress, userAddress, openedAt, cancellationToken);

    public ValueTask RecordWindowClosedAsync(string senderAddress, string userAddress, DateTimeOffset closedThrough, CancellationToken cancellationToken = default) =>
        UpsertAsync("window_closed_through", senderAddress, userAddress, closedThrough, cancellationToken);

    public async ValueTask<LastInboundRecord?> GetAsync(string senderAddress, string userAddress, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(senderAddress);
        ArgumentException.ThrowIfNullOrWhiteSpace(userAddress);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = new NpgsqlCommand(
            $"SELECT last_inbound_at, free_entry_opened_at, window_closed_through FROM {database.Schema}.last_inbound WHERE sender = @sender AND user_address = @user",
            connection);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.AddWithValue("sender", senderAddress);
        command.Parameters.AddWithValue("user", userAddress);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var lastInbound = await reader.IsDBNullAsync(0, cancellationToken).ConfigureAwait(false) ? (DateTimeOffset?)null : await reader.GetFieldValueAsync<DateTimeOffset>(0, cancellationToken).ConfigureAwait(false);
        var freeEntry = await reader.IsDBNullAsync(1, cancellationToken).ConfigureAwait(false) ? (DateTimeOffset?)null : await reader.GetFieldValueAsync<DateTimeOffset>(1, cancellationToken).ConfigureAwait(false);
        var closedThrough = await reader.IsDBNullAsync(2, cancellationToken).ConfigureAwait(false) ? (DateTimeOffset?)null : await reader.GetFieldValueAsync<DateTimeOffset>(2, cancellationToken).ConfigureAwait(false);
        return new LastInboundRecord(lastInbound, freeEntry, closedThrough);
    }

    private async ValueTask UpsertAsync(string column, string senderAddress, string userAddress, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(senderAddress);
        ArgumentException.ThrowIfNullOrWhiteSpace(userAddress);
        // GREATEST ignores NULL, so the first time and every later time land in one atomic statement.
        await database.ExecuteAsync(
            $"INSERT INTO {database.Schema}.last_inbound (sender, user_address, {column}) VALUES (@sender, @user, @at) " +
            $"ON CONFLICT (sender, user_address) DO UPDATE SET {column} = GREATEST({database.Schema}.last_inbound.{column}, EXCLUDED.{column})",
            cancellationToken,
            ("sender", senderAddress),
            ("user", userAddress),
            ("at", at.ToUniversalTime())).ConfigureAwait(false);
    }
}
