using OmniChannel.Messaging.Stores.Internal;

namespace OmniChannel.Messaging;

/// <summary>
/// Provides a process-local <see cref="IWebhookOutbox"/> with the same claim, lease and partition rules as a shared
/// one, for tests and for single-instance apps that want those rules without a database. It is not durable: what it
/// holds is lost with the process.
/// </summary>
/// <remarks>Dedupe keys go to the registered <see cref="IWebhookDedupeStore"/>, so both paths see one record.</remarks>
public sealed class InMemoryWebhookOutbox : IWebhookOutbox
{
    private readonly IWebhookDedupeStore dedupe;
    private readonly TimeProvider timeProvider;
    private readonly object gate = new();
    private readonly SortedDictionary<long, Entry> entries = [];
    private long nextId;

    /// <summary>Initializes a new instance of the <see cref="InMemoryWebhookOutbox"/> class.</summary>
    /// <param name="dedupe">The store the dedupe keys are recorded in.</param>
    /// <param name="timeProvider">The clock leases run on.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public InMemoryWebhookOutbox(IWebhookDedupeStore dedupe, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(dedupe);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.dedupe = dedupe;
        this.timeProvider = timeProvider;
    }

    /// <summary>Gets the number of webhooks held, claimed ones included.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask<bool> TryEnqueueAsync(QueuedWebhook webhook, TimeSpan dedupeTimeToLive, CancellationToken cancellationToken = default)
    {
        OutboxArguments.Check(webhook);
        if (webhook.DedupeKey is { } key && !await dedupe.TryMarkSeenAsync(key, dedupeTimeToLive, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        // Nothing can fail between the mark and the add, so the two are as good as one step in one process.
        lock (gate)
        {
            var id = ++nextId;
            entries.Add(id, new Entry(webhook with { Id = id, LeaseId = Guid.Empty, Attempt = 0 }));
        }

        return true;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<QueuedWebhook>> ClaimAsync(int maxCount, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        OutboxArguments.Check(maxCount, lease);
        cancellationToken.ThrowIfCancellationRequested();
        var now = timeProvider.GetUtcNow();
        var claimed = new List<QueuedWebhook>();
        lock (gate)
        {
            var seenPartitions = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in entries.Values)
            {
                if (claimed.Count == maxCount)
                {
                    break;
                }

                // Only the oldest webhook of a partition is claimable, whoever holds it.
                if (!seenPartitions.Add(entry.Webhook.PartitionKey) || entry.LeasedUntil > now)
                {
                    continue;
                }

                entry.Webhook = entry.Webhook with { LeaseId = Guid.NewGuid(), Attempt = entry.Webhook.Attempt + 1 };
                entry.LeasedUntil = now + lease;
                claimed.Add(entry.Webhook);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<QueuedWebhook>>(claimed);
    }

    /// <inheritdoc/>
    public ValueTask CompleteAsync(IReadOnlyList<QueuedWebhook> webhooks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        lock (gate)
        {
            foreach (var webhook in webhooks)
            {
                entries.Remove(webhook.Id);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask ExtendLeasesAsync(IReadOnlyList<QueuedWebhook> webhooks, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var until = timeProvider.GetUtcNow() + lease;
        lock (gate)
        {
            foreach (var webhook in webhooks)
            {
                if (entries.TryGetValue(webhook.Id, out var entry) && entry.Webhook.LeaseId == webhook.LeaseId && webhook.LeaseId != Guid.Empty)
                {
                    entry.LeasedUntil = until;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask AbandonAsync(QueuedWebhook webhook, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        lock (gate)
        {
            if (entries.TryGetValue(webhook.Id, out var entry) && entry.Webhook.LeaseId == webhook.LeaseId)
            {
                entry.Webhook = entry.Webhook with { LeaseId = Guid.Empty };
                entry.LeasedUntil = DateTimeOffset.MinValue;
            }
        }

        return ValueTask.CompletedTask;
    }

    private sealed class Entry(QueuedWebhook webhook)
    {
        public QueuedWebhook Webhook { get; set; } = webhook;

        public DateTimeOffset LeasedUntil { get; set; } = DateTimeOffset.MinValue;
    }
}
