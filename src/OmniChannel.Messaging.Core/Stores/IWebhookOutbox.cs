namespace OmniChannel.Messaging;

/// <summary>
/// A shared, durable queue of accepted webhooks (an outbox): the receiver stores a webhook before it answers Twilio,
/// and workers on any instance claim, process and complete it, so a crash after the answer loses nothing. Register one
/// (for example <c>UsePostgreSql(…, o =&gt; o.WebhookOutbox = true)</c>) and the webhook pipeline uses it in
/// place of its in-memory queue.
/// </summary>
/// <remarks>
/// Delivery to workers is at least once: a webhook whose worker dies before completing it is claimed again when its
/// lease ends (a live worker keeps extending the leases it holds). Implementations must make <see cref="TryEnqueueAsync"/> atomic with the dedupe record, and
/// <see cref="ClaimAsync"/> safe under concurrent claimers: one webhook is held by one live lease at a time, and of the
/// webhooks sharing a partition key only the oldest pending one can be claimed.
/// </remarks>
public interface IWebhookOutbox
{
    /// <summary>
    /// Records the webhook's dedupe key (as <see cref="IWebhookDedupeStore.TryMarkSeenAsync"/> does, in the same store)
    /// and stores the webhook, in one atomic step: either both happen or neither does.
    /// </summary>
    /// <param name="webhook">The webhook; a <see langword="null"/> <see cref="QueuedWebhook.DedupeKey"/> skips dedupe.</param>
    /// <param name="dedupeTimeToLive">How long the dedupe key is remembered.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns><see langword="true"/> when the webhook was stored; <see langword="false"/> when its key marks a repeat.</returns>
    ValueTask<bool> TryEnqueueAsync(QueuedWebhook webhook, TimeSpan dedupeTimeToLive, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="maxCount"/> webhooks that no live lease holds, oldest first and at most the oldest
    /// pending webhook of each partition key, and leases them to the caller.
    /// </summary>
    /// <param name="maxCount">The most webhooks to claim.</param>
    /// <param name="lease">How long the claim holds before another worker may take the webhook.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The claimed webhooks, with <see cref="QueuedWebhook.Id"/>, <see cref="QueuedWebhook.LeaseId"/> and <see cref="QueuedWebhook.Attempt"/> set.</returns>
    ValueTask<IReadOnlyList<QueuedWebhook>> ClaimAsync(int maxCount, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Removes processed webhooks from the queue, in one step where the store allows it.</summary>
    /// <param name="webhooks">Webhooks returned by <see cref="ClaimAsync"/>.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>A task that completes when the webhooks are removed.</returns>
    ValueTask CompleteAsync(IReadOnlyList<QueuedWebhook> webhooks, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends the leases of claimed webhooks still being processed (or waiting for a worker), so a slow handler does
    /// not let another worker take them over; a lease that already passed to another worker is left alone.
    /// </summary>
    /// <param name="webhooks">Webhooks returned by <see cref="ClaimAsync"/> and not completed yet.</param>
    /// <param name="lease">How long the leases hold from now.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>A task that completes when the leases are extended.</returns>
    ValueTask ExtendLeasesAsync(IReadOnlyList<QueuedWebhook> webhooks, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives back a claimed webhook that was not processed (the worker is shutting down), so the next claim can take
    /// it at once; does nothing when the lease has already passed to another worker.
    /// </summary>
    /// <param name="webhook">A webhook returned by <see cref="ClaimAsync"/>.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>A task that completes when the webhook is released.</returns>
    ValueTask AbandonAsync(QueuedWebhook webhook, CancellationToken cancellationToken = default);
}
