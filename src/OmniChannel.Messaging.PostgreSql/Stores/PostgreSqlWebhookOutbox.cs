using Npgsql;
using NpgsqlTypes;
using OmniChannel.Messaging.PostgreSql.Internal;

namespace OmniChannel.Messaging.PostgreSql.Stores;

/// <summary>
/// The webhook outbox in PostgreSQL. Enqueueing records the dedupe key and inserts the webhook in one statement, so a
/// key is never marked without its webhook stored. Claiming is one UPDATE over a SELECT … FOR UPDATE SKIP LOCKED of
/// partition heads, so concurrent workers on any instance never take the same webhook or overtake within a partition.
/// </summary>
internal sealed class PostgreSqlWebhookOutbox(PostgreSqlDatabase database) : IWebhookOutbox
{
    private const string Columns = "id, kind, partition_key, parameters, received_at, dedupe_key, attempts";
    private const int ScanWindow = 256;

    public async ValueTask<bool> TryEnqueueAsync(QueuedWebhook webhook, TimeSpan dedupeTimeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentException.ThrowIfNullOrEmpty(webhook.Kind, nameof(webhook));
        ArgumentException.ThrowIfNullOrEmpty(webhook.PartitionKey, nameof(webhook));
        ArgumentNullException.ThrowIfNull(webhook.Parameters, nameof(webhook));
        var s = database.Schema;
        var now = database.TimeProvider.GetUtcNow();
        var insert = $"INSERT INTO {s}.webhook_outbox (kind, partition_key, parameters, received_at, dedupe_key, enqueued_at) ";
        var sql = webhook.DedupeKey is null
            ? insert + "VALUES (@kind, @partition, @parameters, @received, NULL, @now)"
            : $"WITH mark AS (INSERT INTO {s}.webhook_dedupe (key, expires_at) VALUES (@key, @expires) " +
              $"ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE {s}.webhook_dedupe.expires_at <= @now RETURNING 1) " +
              insert + "SELECT @kind, @partition, @parameters, @received, @key, @now FROM mark";

        List<(string Name, object Value)> parameters =
        [
            ("kind", webhook.Kind),
            ("partition", webhook.PartitionKey),
            ("parameters", new NpgsqlParameter("parameters", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = Flatten(webhook.Parameters) }),
            ("received", webhook.ReceivedAt),
            ("now", now),
        ];
        if (webhook.DedupeKey is { } key)
        {
            parameters.Add(("key", key));
            parameters.Add(("expires", now + dedupeTimeToLive));
        }

        return await database.ExecuteAsync(sql, cancellationToken, [.. parameters]).ConfigureAwait(false) == 1;
    }

    public async ValueTask<IReadOnlyList<QueuedWebhook>> ClaimAsync(int maxCount, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var s = database.Schema;
        var now = database.TimeProvider.GetUtcNow();
        var leaseId = Guid.NewGuid();

        // A row is claimable when no live lease holds it and no older row of its partition is still queued (held or
        // not): the partition's order survives any number of workers. SKIP LOCKED lets concurrent claimers pass each
        // other's rows instead of waiting, and the re-check after the lock drops a row another claimer just leased.
        // The cost is bounded twice. The NOT IN changes no answer (a held row is always its partition's oldest, so the
        // rest of that partition fails NOT EXISTS anyway) but turns a per-row index probe into a hash lookup. And only
        // the oldest ScanWindow rows of partitions nobody holds are looked at, and of those only the oldest of each
        // partition (DISTINCT ON) goes on to the NOT EXISTS probe: behind one busy sender's backlog a claim takes a
        // few milliseconds instead of 230–450 ms (the probe walks the index entries of deleted rows until vacuum
        // removes them), and no partition starves, because the busy one is held (so skipped) while its head is processed. "= ANY(ARRAY(…))" rather than "IN (…)": once the
        // statement is auto-prepared, a generic plan for IN does not know the LIMIT and scans the whole table. The
        // lease test is repeated on h itself: it is what PostgreSQL re-checks on a row another claimer just updated.
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = new NpgsqlCommand(
            $"UPDATE {s}.webhook_outbox o SET lease_id = @lease, leased_until = @until, attempts = o.attempts + 1 " +
            $"WHERE o.id = ANY(ARRAY(SELECT h.id FROM {s}.webhook_outbox h " +
            $"WHERE h.id = ANY(ARRAY(SELECT DISTINCT ON (win.partition_key) win.id FROM (SELECT w.id, w.partition_key FROM {s}.webhook_outbox w " +
            "WHERE (w.leased_until IS NULL OR w.leased_until <= @now) " +
            $"AND w.partition_key NOT IN (SELECT b.partition_key FROM {s}.webhook_outbox b WHERE b.leased_until > @now) " +
            $"ORDER BY w.id LIMIT {ScanWindow}) win ORDER BY win.partition_key, win.id)) " +
            "AND (h.leased_until IS NULL OR h.leased_until <= @now) " +
            $"AND NOT EXISTS (SELECT 1 FROM {s}.webhook_outbox p WHERE p.partition_key = h.partition_key AND p.id < h.id) " +
            "ORDER BY h.id LIMIT @max FOR UPDATE SKIP LOCKED)) " +
            $"RETURNING {Columns}",
            connection);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.AddWithValue("lease", leaseId);
        command.Parameters.AddWithValue("until", now + lease);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("max", maxCount);

        var claimed = new List<QueuedWebhook>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                claimed.Add(new QueuedWebhook
                {
                    Id = reader.GetInt64(0),
                    Kind = reader.GetString(1),
                    PartitionKey = reader.GetString(2),
                    Parameters = Unflatten(await reader.GetFieldValueAsync<string[]>(3, cancellationToken).ConfigureAwait(false)),
                    ReceivedAt = await reader.GetFieldValueAsync<DateTimeOffset>(4, cancellationToken).ConfigureAwait(false),
                    DedupeKey = await reader.IsDBNullAsync(5, cancellationToken).ConfigureAwait(false) ? null : reader.GetString(5),
                    Attempt = reader.GetInt32(6),
                    LeaseId = leaseId,
                });
            }
        }

        // RETURNING gives no order; hand the webhooks out oldest first.
        claimed.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return claimed;
    }

    public async ValueTask CompleteAsync(IReadOnlyList<QueuedWebhook> webhooks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        if (webhooks.Count == 0)
        {
            return;
        }

        var ids = new long[webhooks.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = webhooks[i].Id;
        }

        await database.ExecuteAsync(
            $"DELETE FROM {database.Schema}.webhook_outbox WHERE id = ANY(@ids)",
            cancellationToken,
            ("ids", ids)).ConfigureAwait(false);
    }

    public async ValueTask ExtendLeasesAsync(IReadOnlyList<QueuedWebhook> webhooks, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        if (webhooks.Count == 0)
        {
            return;
        }

        var ids = new long[webhooks.Count];
        var leases = new Guid[webhooks.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = webhooks[i].Id;
            leases[i] = webhooks[i].LeaseId;
        }

        // Only rows still held under the caller's lease: a lease that ran out and passed to another worker stays theirs.
        await database.ExecuteAsync(
            $"UPDATE {database.Schema}.webhook_outbox o SET leased_until = @until " +
            "FROM unnest(@ids, @leases) AS held(id, lease_id) WHERE o.id = held.id AND o.lease_id = held.lease_id",
            cancellationToken,
            ("until", database.TimeProvider.GetUtcNow() + lease),
            ("ids", ids),
            ("leases", leases)).ConfigureAwait(false);
    }

    public async ValueTask AbandonAsync(QueuedWebhook webhook, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        await database.ExecuteAsync(
            $"UPDATE {database.Schema}.webhook_outbox SET lease_id = NULL, leased_until = NULL WHERE id = @id AND lease_id = @lease",
            cancellationToken,
            ("id", webhook.Id),
            ("lease", webhook.LeaseId)).ConfigureAwait(false);
    }

    // A text[] of name, value, name, value…: order and repeated names survive, and no JSON is needed either way.
    private static string[] Flatten(IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var flat = new string[parameters.Count * 2];
        for (var i = 0; i < parameters.Count; i++)
        {
            flat[2 * i] = parameters[i].Key;
            flat[(2 * i) + 1] = parameters[i].Value;
        }

        return flat;
    }

    private static KeyValuePair<string, string>[] Unflatten(string[] flat)
    {
        var pairs = new KeyValuePair<string, string>[flat.Length / 2];
        for (var i = 0; i < pairs.Length; i++)
        {
            pairs[i] = new(flat[2 * i], flat[(2 * i) + 1]);
        }

        return pairs;
    }
}
