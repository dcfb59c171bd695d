using System.Runtime.InteropServices;
using OmniChannel.Messaging.Stores.Internal;

namespace OmniChannel.Messaging;

/// <summary>
/// Provides a thread-safe, process-local <see cref="IWebhookDedupeStore"/> whose entries expire on the registered
/// <see cref="TimeProvider"/>. Expired entries are swept as new keys arrive (each shard scanned at most once per half
/// time-to-live), so memory stays bounded by the traffic of about one and a half time-to-live periods.
/// </summary>
/// <remarks>
/// A day of webhook keys can run to millions, so each key is kept as a 128-bit fingerprint with its expiry, 32 bytes in
/// a struct array: no object per key for the garbage collector to trace. The fingerprint is SipHash-2-4-128 under a
/// random key drawn per store instance: a keyed pseudorandom function, so a sender who does not know that key cannot
/// make two keys collide on purpose, and the chance of an accidental collision stays far below one in 10^18 even for
/// billions of keys. It runs in managed code, with no native hashing call per webhook. Keys are spread over independent
/// shards, so growing or sweeping one never stalls the others.
/// </remarks>
public sealed class InMemoryWebhookDedupeStore : IWebhookDedupeStore
{
    private const int ShardCount = 32;
    private const int SweepEvery = 64;

    private readonly TimeProvider timeProvider;
    private readonly SipHash128 fingerprinter = SipHash128.CreateRandom();
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
    public int Count
    {
        get
        {
            var count = 0;
            foreach (var shard in shards)
            {
                lock (shard)
                {
                    count += shard.Entries.Count;
                }
            }

            return count;
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryMarkSeenAsync(string key, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        var id = Fingerprint(key);
        var shard = ShardOf(id);
        var now = timeProvider.GetUtcNow().UtcTicks;
        lock (shard)
        {
            var entries = shard.Entries;
            if (entries.TryGetValue(id, out var expires) && expires > now)
            {
                return ValueTask.FromResult(false);
            }

            entries[id] = now + timeToLive.Ticks;
            if (++shard.Additions % SweepEvery == 0 && now >= shard.NextSweep)
            {
                // A scan is O(shard size): doing it at most once per half TTL keeps the cost per key constant.
                shard.NextSweep = now + Math.Max(timeToLive.Ticks / 2, TimeSpan.TicksPerMillisecond * 100);
                foreach (var (entry, expiry) in entries)
                {
                    if (expiry <= now)
                    {
                        entries.Remove(entry);
                    }
                }
            }
        }

        return ValueTask.FromResult(true);
    }

    /// <inheritdoc/>
    public ValueTask ReleaseAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var id = Fingerprint(key);
        var shard = ShardOf(id);
        lock (shard)
        {
            shard.Entries.Remove(id);
        }

        return ValueTask.CompletedTask;
    }

    // The key's UTF-16 code units are hashed as they are (an injective encoding): no transcoding, no buffer.
    private UInt128 Fingerprint(string key)
    {
        var (low, high) = fingerprinter.Hash(MemoryMarshal.AsBytes(key.AsSpan()));
        return new UInt128(high, low);
    }

    private Shard ShardOf(UInt128 id) => shards[(int)((ulong)id % ShardCount)];

    private sealed class Shard
    {
        public readonly Dictionary<UInt128, long> Entries = [];
        public int Additions;
        public long NextSweep;
    }
}
