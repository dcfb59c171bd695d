using System.Collections.Concurrent;

namespace OmniChannel.Messaging;

/// <summary>Provides a thread-safe, process-local <see cref="IConsentStore"/>; records are lost when the process ends.</summary>
public sealed class InMemoryConsentStore : IConsentStore
{
    private readonly ConcurrentDictionary<(MessagingChannel Channel, string Recipient), ConsentRecord> records = new();

    /// <inheritdoc/>
    public ValueTask RecordAsync(ConsentRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Recipient, nameof(record));
        records[(record.Channel, record.Recipient)] = record;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<bool> RevokeAsync(MessagingChannel channel, string recipient, DateTimeOffset revokedAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        while (records.TryGetValue((channel, recipient), out var existing))
        {
            var revoked = new ConsentRecord
            {
                Channel = existing.Channel,
                Recipient = existing.Recipient,
                GrantedAt = existing.GrantedAt,
                Source = existing.Source,
                ProofText = existing.ProofText,
                RevokedAt = revokedAt,
            };
            if (records.TryUpdate((channel, recipient), revoked, existing))
            {
                return ValueTask.FromResult(true);
            }
        }

        return ValueTask.FromResult(false);
    }

    /// <inheritdoc/>
    public ValueTask<ConsentRecord?> GetAsync(MessagingChannel channel, string recipient, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        return ValueTask.FromResult(records.GetValueOrDefault((channel, recipient)));
    }
}
