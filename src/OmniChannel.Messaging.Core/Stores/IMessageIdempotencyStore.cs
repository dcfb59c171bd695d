namespace OmniChannel.Messaging;

/// <summary>
/// Provides the idempotency-key → message map behind idempotent sends: the first send with a key reserves it, later sends
/// with the same key get the first result instead of sending again.
/// </summary>
/// <remarks>
/// Implementations must make <see cref="TryReserveAsync"/> atomic (first writer wins), so two concurrent sends with the same
/// key never both send. A reservation whose lease ran out without completing is still returned: its owner may have sent
/// the message before it stopped, so the caller reports "may have been sent" rather than sending again. Keys already hold
/// the account and channel, so one store can serve several accounts.
/// </remarks>
public interface IMessageIdempotencyStore
{
    /// <summary>Reserves a key for a send that is about to start, unless a record for it exists.</summary>
    /// <param name="key">The scoped idempotency key.</param>
    /// <param name="lease">How long the reservation is expected to take to complete.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns><see langword="null"/> when the caller now holds the key; otherwise the existing record (pending or completed).</returns>
    ValueTask<MessageIdempotencyRecord?> TryReserveAsync(string key, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Stores the result of the send that holds the key, so later sends with the key return it.</summary>
    /// <param name="record">The completed record; <see cref="MessageIdempotencyRecord.IsCompleted"/> must be <see langword="true"/>.</param>
    /// <param name="timeToLive">How long the record is kept.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>A task that completes when the record is stored.</returns>
    ValueTask CompleteAsync(MessageIdempotencyRecord record, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Removes a key, for example after a send that certainly did not send anything, so the key may be used again.</summary>
    /// <param name="key">The scoped idempotency key.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>A task that completes when the key is gone.</returns>
    ValueTask ReleaseAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Gets the record of a key.</summary>
    /// <param name="key">The scoped idempotency key.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The record, or <see langword="null"/> when none exists or it expired.</returns>
    ValueTask<MessageIdempotencyRecord?> GetAsync(string key, CancellationToken cancellationToken = default);
}
