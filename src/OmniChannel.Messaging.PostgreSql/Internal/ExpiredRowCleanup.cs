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
    /// The tables with an expiry column and the rows that may go; every expiring store adds its table here. A pending
    /// idempotency reservation is kept for <see cref="PostgreSqlStoreOptions.AbandonedReservationRetention"/> after its
    /// lease ended (its send may have gone out, and the key keeps saying so until then).
    /// </summary>
    public static readonly IReadOnlyList<(string Table, string Condition)> ExpiringTables =
    [
        ("conversation_unique_names", "true"),
        ("message_idempotency", "(is_completed OR expires_at <= @abandoned_before)"),
        ("webhook_dedupe", "true"),
    ];

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var deleted = 0;
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        foreach (var (table, condition) in ExpiringTables)
        {
            int batch;
            do
            {
                var command = new NpgsqlCommand(
                    $"DELETE FROM {database.Schema}.{table} WHERE ctid = ANY (ARRAY(SELECT ctid FROM {database.Schema}.{table} WHERE {condition} AND expires_at <= @now LIMIT @limit))",
                    connection);
                await using var commandScope = command.ConfigureAwait(false);
                var now = database.TimeProvider.GetUtcNow();
                command.Parameters.AddWithValue("now", now);
                if (condition.Contains("@abandoned_before", StringComparison.Ordinal))
                {
                    command.Parameters.AddWithValue("abandoned_before", now - options.AbandonedReservationRetention);
                }

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
