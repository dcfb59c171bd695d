namespace OmniChannel.Messaging;

/// <summary>
/// Provides the "first seen wins" record of webhook deliveries that lets a receiver process each Twilio delivery once,
/// however many times Twilio retries it. The default lives in memory; share one (for example the PostgreSQL store)
/// across app instances.
/// </summary>
/// <remarks>
/// Keys are opaque strings built by the receiver (they already hold the account and the kind of webhook). An entry
/// expires after its time to live, after which the same key counts as new again. Implementations must make
/// <see cref="TryMarkSeenAsync"/> atomic: of two concurrent calls with one key, exactly one returns <see langword="true"/>.
/// </remarks>
public interface IWebhookDedupeStore
{
    /// <summary>Records a delivery key unless it is already recorded and not expired.</summary>
    /// <param name="key">The delivery's dedupe key.</param>
    /// <param name="timeToLive">How long the key is remembered.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns><see langword="true"/> when the key is new (process the delivery); <see langword="false"/> for a repeat.</returns>
    ValueTask<bool> TryMarkSeenAsync(string key, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets a delivery key, so that a retry of the delivery is processed: call it when a delivery was marked seen but
    /// could not be accepted (for example the queue was full and the receiver answered 503).
    /// </summary>
    /// <param name="key">The delivery's dedupe key.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>A task that completes when the key is forgotten.</returns>
    ValueTask ReleaseAsync(string key, CancellationToken cancellationToken = default);
}
