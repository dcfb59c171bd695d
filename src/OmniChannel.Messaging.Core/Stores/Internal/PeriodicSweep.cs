using System.Collections.Concurrent;

namespace OmniChannel.Messaging.Stores.Internal;

/// <summary>
/// Removes the expired entries of an in-memory store at most once per interval, from whichever call finds the sweep due
/// (one sweeper at a time; the others carry on), so the store's memory stays bounded without a timer of its own.
/// </summary>
internal sealed class PeriodicSweep(DateTimeOffset start)
{
    private long nextSweepTicks = start.UtcTicks;
    private int sweeping;

    public void RunIfDue<TKey, TValue>(ConcurrentDictionary<TKey, TValue> entries, DateTimeOffset now, TimeSpan interval, Func<TValue, DateTimeOffset, bool> isExpired)
        where TKey : notnull
    {
        if (now.UtcTicks < Interlocked.Read(ref nextSweepTicks) || Interlocked.CompareExchange(ref sweeping, 1, 0) != 0)
        {
            return;
        }

        try
        {
            Interlocked.Exchange(ref nextSweepTicks, (now + interval).UtcTicks);
            foreach (var pair in entries)
            {
                if (isExpired(pair.Value, now))
                {
                    entries.TryRemove(pair);
                }
            }
        }
        finally
        {
            Volatile.Write(ref sweeping, 0);
        }
    }
}
