using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OmniChannel.Messaging.PostgreSql.Internal;

/// <summary>
/// Deletes expired rows in small batches on a timer, each batch its own statement, so cleanup never holds long locks and
/// never runs on a request path. A failed round is logged and tried again next time.
/// </summary>
internal sealed partial class ExpiredRowCleanup(PostgreSqlDatabase database, PostgreSqlStoreOptions options, ILogger<ExpiredRowCleanup> logger) : BackgroundService
{
    /// <summary>
    /// The tables with an expiry column and the rows that may go; every expiring store adds its table here. Each entry's
    /// condition matches one index on <c>expires_at</c> (a partial index's predicate, exactly), so a batch is an index
    /// scan. A pending idempotency reservation is kept for <see cref="PostgreSqlStoreOptions.AbandonedReservationRetention"/>
    /// after its lease ended (its send may have gone out, and the key keeps saying so until then).
    /// </summary>
    public static readonly IReadOnlyList<ExpiringTable> ExpiringTables =
    [
        new("conversation_unique_names", "true", KeepsAbandonedReservations: false),
        new("message_idempotency", "is_completed", KeepsAbandonedReservations: false),
        new("message_idempotency", "NOT is_completed", KeepsAbandonedReservations: true),
        new("webhook_dedupe", "true", KeepsAbandonedReservations: false),
    ];

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var deleted = 0;
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        foreach (var (table, condition, keepsAbandonedReservations) in ExpiringTables)
        {
            int batch;
            do
            {
                var command = new NpgsqlCommand(
                    $"DELETE FROM {database.Schema}.{table} WHERE ctid = ANY (ARRAY(SELECT ctid FROM {database.Schema}.{table} WHERE {condition} AND expires_at <= @expired_before LIMIT @limit))",
                    connection);
                await using var commandScope = command.ConfigureAwait(false);
                var now = database.TimeProvider.GetUtcNow();
                command.Parameters.AddWithValue("expired_before", keepsAbandonedReservations ? now - options.AbandonedReservationRetention : now);
                command.Parameters.AddWithValue("limit", options.CleanupBatchSize);
                batch = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                deleted += batch;
            }
            while (batch == options.CleanupBatchSize && !cancellationToken.IsCancellationRequested);
        }

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CleanupInterval, database.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var deleted = await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                    if (deleted > 0)
                    {
                        LogCleaned(logger, deleted);
                    }
                }
                catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
                {
                    LogCleanupFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }

    [LoggerMessage(3002, LogLevel.Debug, "Deleted {Count} expired OmniChannel.Messaging rows")]
    private static partial void LogCleaned(ILogger logger, int count);

    [LoggerMessage(3003, LogLevel.Warning, "Cleanup of expired OmniChannel.Messaging rows failed; it runs again at the next interval")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception);
}

/// <summary>One cleanup target: rows of <paramref name="Table"/> matching <paramref name="Condition"/> go once expired.</summary>
/// <param name="Table">The table, unquoted (a fixed name, never input).</param>
/// <param name="Condition">The SQL predicate, the same as the predicate of the partial index on <c>expires_at</c> it uses (<c>true</c> for a full index).</param>
/// <param name="KeepsAbandonedReservations">Whether rows go only <see cref="PostgreSqlStoreOptions.AbandonedReservationRetention"/> after they expired.</param>
internal readonly record struct ExpiringTable(string Table, string Condition, bool KeepsAbandonedReservations);
