using System.Collections.Concurrent;
using OmniChannel.Messaging.Stores.Internal;

namespace OmniChannel.Messaging;

/// <summary>
/// Provides the default, in-process <see cref="IMessageIdempotencyStore"/>: an atomic dictionary whose records expire on
/// the registered <see cref="TimeProvider"/>. Use a shared store (for example the PostgreSQL package) when several
/// instances send with the same keys.
/// </summary>
/// <remarks>
/// Memory is bounded by the keys used within one lifetime: every write sweeps expired records once per
/// <see cref="SweepInterval"/>. A reservation whose lease ended is kept for <see cref="AbandonedReservationRetention"/>
/// more (its owner may have sent the message) and then dropped.
/// </remarks>
/// <param name="timeProvider">The clock records expire by.</param>
public sealed class InMemoryMessageIdempotencyStore(TimeProvider timeProvider) : IMessageIdempotencyStore
{
    private readonly ConcurrentDictionary<string, MessageIdempotencyRecord> records = new(StringComparer.Ordinal);
    private readonly PeriodicSweep sweep = new(timeProvider.GetUtcNow());

    /// <summary>Gets the number of records held, expired ones not yet swept included.</summary>
    public int Count => records.Count;

    /// <summary>Gets or sets how often writes sweep expired records out.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets how long a reservation is kept after its lease ended without the send completing.</summary>
    /// <value>The default value is 24 hours.</value>
    public TimeSpan AbandonedReservationRetention { get; init; } = TimeSpan.FromHours(24);

    /// <inheritdoc/>
    public ValueTask<MessageIdempotencyRecord?> TryReserveAsync(string key, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var now = timeProvider.GetUtcNow();
        SweepIfDue(now);
        var pending = new MessageIdempotencyRecord { Key = key, CreatedAt = now, ExpiresAt = now + lease };
        while (true)
        {
            var existing = records.GetOrAdd(key, pending);
            if (ReferenceEquals(existing, pending))
            {
                return ValueTask.FromResult<MessageIdempotencyRecord?>(null);
            }

            // A completed record past its lifetime is gone; a pending one is kept (its owner may have sent) until its retention ends.
            if (IsExpired(existing, now))
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

        var now = timeProvider.GetUtcNow();
        SweepIfDue(now);
        // The record keeps the time its key was reserved; the sender does not know it.
        var createdAt = records.TryGetValue(record.Key, out var reserved) ? reserved.CreatedAt : now;
        records[record.Key] = record with { CreatedAt = createdAt, ExpiresAt = now + timeToLive };
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
            if (IsExpired(record, timeProvider.GetUtcNow()))
            {
                records.TryRemove(KeyValuePair.Create(key, record));
                return ValueTask.FromResult<MessageIdempotencyRecord?>(null);
            }

            return ValueTask.FromResult<MessageIdempotencyRecord?>(record);
        }

        return ValueTask.FromResult<MessageIdempotencyRecord?>(null);
    }

    private bool IsExpired(MessageIdempotencyRecord record, DateTimeOffset now) =>
        record.IsCompleted ? record.ExpiresAt <= now : record.ExpiresAt + AbandonedReservationRetention <= now;

    private void SweepIfDue(DateTimeOffset now) => sweep.RunIfDue(records, now, SweepInterval, IsExpired);
}
