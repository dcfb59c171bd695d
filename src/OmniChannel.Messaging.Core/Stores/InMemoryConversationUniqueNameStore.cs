using System.Collections.Concurrent;

namespace OmniChannel.Messaging;

/// <summary>Provides the default, in-process unique-name store: a dictionary whose entries expire on the registered <see cref="TimeProvider"/>.</summary>
/// <param name="timeProvider">The clock entries expire by.</param>
public sealed class InMemoryConversationUniqueNameStore(TimeProvider timeProvider) : IConversationUniqueNameStore
{
    private readonly ConcurrentDictionary<string, (string Sid, DateTimeOffset Expires)> entries = new(StringComparer.Ordinal);

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
        entries[key] = (conversationSid, timeProvider.GetUtcNow() + timeToLive);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        entries.TryRemove(key, out _);
        return ValueTask.CompletedTask;
    }
}
