using System.Collections.Concurrent;

namespace OmniChannel.Messaging;

/// <summary>
/// Provides a thread-safe, process-local <see cref="IWebhookDedupeStore"/> whose entries expire on the registered
/// <see cref="TimeProvider"/>. Expired entries are swept as new keys arrive, so memory stays bounded by the traffic of
/// one time-to-live period.
/// </summary>
/// <param name="timeProvider">The clock entries expire by.</param>
public sealed class InMemoryWebhookDedupeStore(TimeProvider timeProvider) : IWebhookDedupeStore
{
    private const int SweepEvery = 1024;

    private readonly ConcurrentDictionary<string, long> entries = new(StringComparer.Ordinal);
    private int additions;

    /// <summary>Gets the number of keys held, expired ones not yet swept included.</summary>
    public int Count => entries.Count;

    /// <inheritdoc/>
    public ValueTask<bool> TryMarkSeenAsync(string key, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        var now = timeProvider.GetUtcNow().UtcTicks;
        var expires = now + timeToLive.Ticks;
        while (true)
        {
            if (entries.TryAdd(key, expires))
            {
                if (Interlocked.Increment(ref additions) % SweepEvery == 0)
                {
                    Sweep(now);
                }

                return ValueTask.FromResult(true);
            }

            if (!entries.TryGetValue(key, out var existing))
            {
                continue;
            }

            if (existing > now)
            {
                return ValueTask.FromResult(false);
            }

            // Expired: replace it atomically; of two racing callers only one wins the swap.
            if (entries.TryUpdate(key, expires, existing))
            {
                return ValueTask.FromResult(true);
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask ReleaseAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        entries.TryRemove(key, out _);
        return ValueTask.CompletedTask;
    }

    private void Sweep(long now)
    {
        foreach (var entry in entries)
        {
            if (entry.Value <= now)
            {
                entries.TryRemove(entry);
            }
        }
    }
}
