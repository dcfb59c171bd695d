using System.Collections.Concurrent;
using OmniChannel.Messaging.Stores.Internal;

namespace OmniChannel.Messaging;

/// <summary>Provides the default, in-process unique-name store: a dictionary whose entries expire on the registered <see cref="TimeProvider"/>.</summary>
/// <remarks>
/// Memory is bounded by the names used within one time-to-live: every write sweeps expired entries out once per
/// <see cref="SweepInterval"/>, and a read drops the expired entry it finds.
/// </remarks>
/// <param name="timeProvider">The clock entries expire by.</param>
public sealed class InMemoryConversationUniqueNameStore(TimeProvider timeProvider) : IConversationUniqueNameStore
{
    private readonly ConcurrentDictionary<string, (string Sid, DateTimeOffset Expires)> entries = new(StringComparer.Ordinal);
    private readonly PeriodicSweep sweep = new(timeProvider.GetUtcNow());

    /// <summary>Gets the number of entries held, expired ones not yet swept included.</summary>
    public int Count => entries.Count;

    /// <summary>Gets or sets how often writes sweep expired entries out.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <inheritdoc/>
    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (entries.TryGetValue(key, out var entry))
        {
            if (entry.Expires > timeProvider.GetUtcNow())
            {
                return ValueTask.FromResult<string?>(entry.Sid);
            }

            entries.TryRemove(KeyValuePair.Create(key, entry));
        }

        return ValueTask.FromResult<string?>(null);
    }

    /// <inheritdoc/>
    public ValueTask SetAsync(string key, string conversationSid, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(conversationSid);
        var now = timeProvider.GetUtcNow();
        SweepIfDue(now);
        entries[key] = (conversationSid, now + timeToLive);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        entries.TryRemove(key, out _);
        return ValueTask.CompletedTask;
    }

    private void SweepIfDue(DateTimeOffset now) => sweep.RunIfDue(entries, now, SweepInterval, static (entry, at) => entry.Expires <= at);
}
