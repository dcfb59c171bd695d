using System.Collections.Concurrent;

namespace OmniChannel.Messaging.Conversations.Internal;

/// <summary>A small in-process cache with per-entry expiry; stale entries are dropped when read.</summary>
internal sealed class ExpiringCache<TValue>(TimeProvider timeProvider, TimeSpan duration)
    where TValue : class
{
    private readonly ConcurrentDictionary<string, (TValue Value, DateTimeOffset Expires)> entries = new(StringComparer.Ordinal);

    public bool Enabled => duration > TimeSpan.Zero;

    public bool TryGet(string key, out TValue value)
    {
        if (entries.TryGetValue(key, out var entry))
        {
            if (entry.Expires > timeProvider.GetUtcNow())
            {
                value = entry.Value;
                return true;
            }

            entries.TryRemove(KeyValuePair.Create(key, entry));
        }

        value = null!;
        return false;
    }

    public void Set(string key, TValue value)
    {
        if (Enabled)
        {
            entries[key] = (value, timeProvider.GetUtcNow() + duration);
        }
    }

    public void RemoveWhere(Func<string, TValue, bool> predicate)
    {
        foreach (var (key, entry) in entries)
        {
            if (predicate(key, entry.Value))
            {
                entries.TryRemove(KeyValuePair.Create(key, entry));
            }
        }
    }
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
