using System.Collections.Concurrent;

namespace OmniChannel.Messaging;

/// <summary>
/// Provides a thread-safe, process-local <see cref="ISuppressionList"/>. Entries are lost when the process ends;
/// use a durable store (for example the PostgreSQL package) when several instances send.
/// </summary>
public sealed class InMemorySuppressionList : ISuppressionList
{
    private readonly ConcurrentDictionary<(MessagingChannel Channel, string Scope, string Recipient), byte> entries = new();

    /// <summary>Gets the number of entries.</summary>
    public int Count => entries.Count;

    /// <inheritdoc/>
    public ValueTask<bool> SuppressAsync(MessagingChannel channel, SuppressionScope scope, string recipient, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        return ValueTask.FromResult(entries.TryAdd((channel, scope.Value, recipient), 0));
    }

    /// <inheritdoc/>
    public ValueTask<bool> ReleaseAsync(MessagingChannel channel, SuppressionScope scope, string recipient, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        return ValueTask.FromResult(entries.TryRemove((channel, scope.Value, recipient), out _));
    }

    /// <inheritdoc/>
    public ValueTask<bool> IsSuppressedAsync(MessagingChannel channel, SuppressionScope scope, string recipient, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        var suppressed = entries.ContainsKey((channel, scope.Value, recipient))
            || entries.ContainsKey((channel, SuppressionScope.All.Value, recipient));
        return ValueTask.FromResult(suppressed);
    }
}
