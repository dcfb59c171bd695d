using System.Collections.Concurrent;

namespace OmniChannel.Messaging;

/// <summary>
/// Provides a thread-safe, process-local <see cref="IWebhookDedupeStore"/> whose entries expire on the registered
/// <see cref="TimeProvider"/>. Expired entries are swept as new keys arrive (each shard scanned at most once per half
/// time-to-live), so memory stays bounded by the traffic of about one and a half time-to-live periods.
/// </summary>
/// <remarks>
/// Keys are spread over independent shards, so that growing one (a resize locks the whole dictionary) or sweeping it
/// never stalls the others: under a burst of new keys, latency stays flat.
/// </remarks>
public sealed class InMemoryWebhookDedupeStore : IWebhookDedupeStore
{
    private const int ShardCount = 32;
    private const int SweepEvery = 64;

    private readonly TimeProvider timeProvider;
    private readonly Shard[] shards;

    /// <summary>Initializes a new instance of the <see cref="InMemoryWebhookDedupeStore"/> class.</summary>
    /// <param name="timeProvider">The clock entries expire by.</param>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    public InMemoryWebhookDedupeStore(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.timeProvider = timeProvider;
        shards = new Shard[ShardCount];
        for (var i = 0; i < shards.Length; i++)
        {
            shards[i] = new Shard();
        }
    }

    /// <summary>Gets the number of keys held, expired ones not yet swept included.</summary>
    public int Count => shards.Sum(s => s.Entries.Count);

    /// <inheritdoc/>
    public ValueTask<bool> TryMarkSeenAsync(string key, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        var shard = ShardOf(key);
        var entries = shard.Entries;
        var now = timeProvider.GetUtcNow().UtcTicks;
        var expires = now + timeToLive.Ticks;
        while (true)
        {
            if (entries.TryAdd(key, expires))
            {
                if (Interlocked.Increment(ref shard.Additions) % SweepEvery == 0 && now >= Interlocked.Read(ref shard.NextSweep))
                {
                    // A scan is O(shard size): doing it at most once per half TTL keeps the cost per key constant.
                    Interlocked.Exchange(ref shard.NextSweep, now + Math.Max(timeToLive.Ticks / 2, TimeSpan.TicksPerMillisecond * 100));
                    Sweep(entries, now);
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
        ShardOf(key).Entries.TryRemove(key, out _);
        return ValueTask.CompletedTask;
    }

    private static void Sweep(ConcurrentDictionary<string, long> entries, long now)
    {
        foreach (var entry in entries)
        {
            if (entry.Value <= now)
            {
                entries.TryRemove(entry);
            }
        }
    }

    private Shard ShardOf(string key) => shards[(uint)StringComparer.Ordinal.GetHashCode(key) % ShardCount];

    private sealed class Shard
    {
        public readonly ConcurrentDictionary<string, long> Entries = new(StringComparer.Ordinal);
        public int Additions;
        public long NextSweep;
    }
}
