using System.Collections.Concurrent;

namespace OmniChannel.Messaging;

/// <summary>
/// Provides the default, in-process <see cref="IMessageIdempotencyStore"/>: an atomic dictionary whose records expire on
/// the registered <see cref="TimeProvider"/>. Use a shared store (for example the PostgreSQL package) when several
/// instances send with the same keys.
/// </summary>
/// <param name="timeProvider">The clock records expire by.</param>
public sealed class InMemoryMessageIdempotencyStore(TimeProvider timeProvider) : IMessageIdempotencyStore
{
    private readonly ConcurrentDictionary<string, MessageIdempotencyRecord> records = new(StringComparer.Ordinal);

    /// <summary>Gets the number of records, expired ones not yet removed included.</summary>
    public int Count => records.Count;

    /// <inheritdoc/>
    public ValueTask<MessageIdempotencyRecord?> TryReserveAsync(string key, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var now = timeProvider.GetUtcNow();
        var pending = new MessageIdempotencyRecord { Key = key, CreatedAt = now, ExpiresAt = now + lease };
        while (true)
        {
            var existing = records.GetOrAdd(key, pending);
            if (ReferenceEquals(existing, pending))
            {
                return ValueTask.FromResult<MessageIdempotencyRecord?>(null);
            }

            // A completed record past its lifetime is gone; a pending one is kept (its owner may have sent).
            if (existing.IsCompleted && existing.ExpiresAt <= now)
            {
                records.TryRemove(KeyValuePair.Create(key, existing));
                continue;
            }

            return ValueTask.FromResult<MessageIdempotencyRecord?>(existing);
        }
    }

    /// <inheritdoc/>
    public ValueTask CompleteAsync(MessageIdempotencyRecord record, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.IsCompleted)
        {
            throw new ArgumentException("Only a completed record can be stored with CompleteAsync.", nameof(record));
        }

        var stored = new MessageIdempotencyRecord
        {
            Key = record.Key,
            IsCompleted = true,
            CreatedAt = record.CreatedAt,
            ExpiresAt = timeProvider.GetUtcNow() + timeToLive,
            Outcome = record.Outcome,
            To = record.To,
            MessageSid = record.MessageSid,
            Status = record.Status,
            ContentSid = record.ContentSid,
        };
        records[record.Key] = stored;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask ReleaseAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        records.TryRemove(key, out _);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<MessageIdempotencyRecord?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (records.TryGetValue(key, out var record))
        {
            if (record.IsCompleted && record.ExpiresAt <= timeProvider.GetUtcNow())
            {
                records.TryRemove(KeyValuePair.Create(key, record));
                return ValueTask.FromResult<MessageIdempotencyRecord?>(null);
            }

            return ValueTask.FromResult<MessageIdempotencyRecord?>(record);
        }

        return ValueTask.FromResult<MessageIdempotencyRecord?>(null);
    }
}
