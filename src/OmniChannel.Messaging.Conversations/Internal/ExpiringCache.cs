namespace OmniChannel.Messaging.Conversations.Internal;

/// <summary>
/// A small in-process cache with per-entry expiry and a size bound. Each entry carries tags (a conversation SID, a
/// participant SID) so removing everything about one SID touches only its entries. Expired entries are dropped when read
/// and by a sweep that runs at most once per expiry period (on a write); when the cache is over its bound the entries
/// closest to expiry go first.
/// </summary>
internal sealed class ExpiringCache<TValue>
    where TValue : class
{
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> tagged = new(StringComparer.Ordinal);
    private readonly TimeProvider timeProvider;
    private readonly TimeSpan duration;
    private readonly int capacity;
    private DateTimeOffset nextSweep;

    public ExpiringCache(TimeProvider timeProvider, TimeSpan duration, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.timeProvider = timeProvider;
        this.duration = duration;
        this.capacity = capacity;
        nextSweep = timeProvider.GetUtcNow() + duration;
    }

    public bool Enabled => duration > TimeSpan.Zero;

    public int Count
    {
        get
        {
            lock (entries)
            {
                return entries.Count;
            }
        }
    }

    public bool TryGet(string key, out TValue value)
    {
        lock (entries)
        {
            if (entries.TryGetValue(key, out var entry))
            {
                if (entry.Expires > timeProvider.GetUtcNow())
                {
                    value = entry.Value;
                    return true;
                }

                RemoveEntry(key, entry);
            }
        }

        value = null!;
        return false;
    }

    public void Set(string key, TValue value, params string[] tags)
    {
        if (!Enabled)
        {
            return;
        }

        var now = timeProvider.GetUtcNow();
        lock (entries)
        {
            if (entries.TryGetValue(key, out var old))
            {
                RemoveEntry(key, old);
            }

            entries[key] = new Entry(value, now + duration, tags);
            foreach (var tag in tags)
            {
                if (!tagged.TryGetValue(tag, out var keys))
                {
                    tagged[tag] = keys = new HashSet<string>(StringComparer.Ordinal);
                }

                keys.Add(key);
            }

            if (now >= nextSweep || entries.Count > capacity)
            {
                Sweep(now);
            }
        }
    }

    public void Remove(string key)
    {
        lock (entries)
        {
            if (entries.TryGetValue(key, out var entry))
            {
                RemoveEntry(key, entry);
            }
        }
    }

    /// <summary>Removes every entry carrying a tag and returns their keys and values.</summary>
    public List<KeyValuePair<string, TValue>> RemoveTagged(string tag)
    {
        var removed = new List<KeyValuePair<string, TValue>>();
        lock (entries)
        {
            if (tagged.TryGetValue(tag, out var keys))
            {
                foreach (var key in keys.ToArray())
                {
                    if (entries.TryGetValue(key, out var entry))
                    {
                        removed.Add(KeyValuePair.Create(key, entry.Value));
                        RemoveEntry(key, entry);
                    }
                }

                tagged.Remove(tag);
            }
        }

        return removed;
    }

    private void Sweep(DateTimeOffset now)
    {
        nextSweep = now + duration;
        foreach (var (key, entry) in entries.Where(e => e.Value.Expires <= now).ToList())
        {
            RemoveEntry(key, entry);
        }

        if (entries.Count > capacity)
        {
            // Trim to 90 % so a full cache is not trimmed again on every write.
            var excess = entries.Count - (capacity - (capacity / 10));
            foreach (var (key, entry) in entries.OrderBy(e => e.Value.Expires).Take(excess).ToList())
            {
                RemoveEntry(key, entry);
            }
        }
    }

    private void RemoveEntry(string key, Entry entry)
    {
        entries.Remove(key);
        foreach (var tag in entry.Tags)
        {
            if (tagged.TryGetValue(tag, out var keys) && keys.Remove(key) && keys.Count == 0)
            {
                tagged.Remove(tag);
            }
        }
    }

    private sealed record Entry(TValue Value, DateTimeOffset Expires, string[] Tags);
}

/// <summary>One asynchronous lock per key, dropped when nobody holds or waits for it.</summary>
internal sealed class KeyedLock
{
    private readonly Dictionary<string, (SemaphoreSlim Gate, int Users)> gates = new(StringComparer.Ordinal);

    public async Task<IDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate;
        lock (gates)
        {
            gate = gates.TryGetValue(key, out var entry) ? entry.Gate : new SemaphoreSlim(1, 1);
            gates[key] = (gate, entry.Users + 1);
        }

        try
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Release(key, held: false);
            throw;
        }

        return new Releaser(this, key);
    }

    private void Release(string key, bool held)
    {
        lock (gates)
        {
            var entry = gates[key];
            if (held)
            {
                entry.Gate.Release();
            }

            if (entry.Users == 1)
            {
                gates.Remove(key);
                entry.Gate.Dispose();
            }
            else
            {
                gates[key] = (entry.Gate, entry.Users - 1);
            }
        }
    }

    private sealed class Releaser(KeyedLock owner, string key) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                owner.Release(key, held: true);
            }
        }
    }
}
