using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace OmniChannel.Messaging;

/// <summary>
/// Provides a thread-safe, process-local <see cref="IWebhookDedupeStore"/> whose entries expire on the registered
/// <see cref="TimeProvider"/>. Expired entries are swept as new keys arrive (each shard scanned at most once per half
/// time-to-live), so memory stays bounded by the traffic of about one and a half time-to-live periods.
/// </summary>
/// <remarks>
/// A day of webhook keys can run to millions, so each key is kept as a 128-bit fingerprint (the first half of its
/// SHA-256) with its expiry, 32 bytes in a struct array: no object per key for the garbage collector to trace, and a
/// chance of two keys colliding far below one in 10^18 even for billions of keys. Keys are spread over independent
/// shards, so growing or sweeping one never stalls the others.
/// </remarks>
public sealed class InMemoryWebhookDedupeStore : IWebhookDedupeStore
{
    private const int ShardCount = 32;
    private const int SweepEvery = 64;
    private const int StackLimit = 512;

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

    private static UInt128 Fingerprint(string key)
    {
        var length = Encoding.UTF8.GetMaxByteCount(key.Length);
        byte[]? rented = null;
        var bytes = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(key, bytes);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes[..written], hash);
            return BinaryPrimitives.ReadUInt128LittleEndian(hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private Shard ShardOf(UInt128 id) => shards[(int)((ulong)id % ShardCount)];

    private sealed class Shard
    {
        public readonly Dictionary<UInt128, long> Entries = [];
        public int Additions;
        public long NextSweep;
    }
}
