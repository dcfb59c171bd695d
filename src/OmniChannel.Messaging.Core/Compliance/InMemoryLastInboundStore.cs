using System.Collections.Concurrent;

namespace OmniChannel.Messaging;

/// <summary>
/// Provides a thread-safe, process-local <see cref="ILastInboundStore"/>. Times are lost when the process ends;
/// use a durable store when several instances serve webhooks.
/// </summary>
public sealed class InMemoryLastInboundStore : ILastInboundStore
{
    private readonly ConcurrentDictionary<(string Sender, string User), LastInboundRecord> records = new();

    /// <inheritdoc/>
    public ValueTask RecordInboundAsync(string senderAddress, string userAddress, DateTimeOffset receivedAt, CancellationToken cancellationToken = default) =>
        UpsertAsync(
            senderAddress,
            userAddress,
            receivedAt,
            static at => new LastInboundRecord(at, null),
            static (existing, at) => new LastInboundRecord(Later(existing.LastInboundAt, at), existing.FreeEntryPointOpenedAt, existing.WindowClosedThrough),
            cancellationToken);

    /// <inheritdoc/>
    public ValueTask RecordFreeEntryPointAsync(string senderAddress, string userAddress, DateTimeOffset openedAt, CancellationToken cancellationToken = default) =>
        UpsertAsync(
            senderAddress,
            userAddress,
            openedAt,
            static at => new LastInboundRecord(null, at),
            static (existing, at) => new LastInboundRecord(existing.LastInboundAt, Later(existing.FreeEntryPointOpenedAt, at), existing.WindowClosedThrough),
            cancellationToken);

    /// <inheritdoc/>
    public ValueTask RecordWindowClosedAsync(string senderAddress, string userAddress, DateTimeOffset closedThrough, CancellationToken cancellationToken = default) =>
        UpsertAsync(
            senderAddress,
            userAddress,
            closedThrough,
            static at => new LastInboundRecord(null, null, at),
            static (existing, at) => new LastInboundRecord(existing.LastInboundAt, existing.FreeEntryPointOpenedAt, Later(existing.WindowClosedThrough, at)),
            cancellationToken);

    /// <inheritdoc/>
    public ValueTask<LastInboundRecord?> GetAsync(string senderAddress, string userAddress, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(senderAddress);
        ArgumentException.ThrowIfNullOrWhiteSpace(userAddress);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<LastInboundRecord?>(cancellationToken);
        }

        return ValueTask.FromResult(records.TryGetValue((senderAddress, userAddress), out var record) ? record : (LastInboundRecord?)null);
    }

    private ValueTask UpsertAsync(
        string senderAddress,
        string userAddress,
        DateTimeOffset at,
        Func<DateTimeOffset, LastInboundRecord> create,
        Func<LastInboundRecord, DateTimeOffset, LastInboundRecord> update,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(senderAddress);
        ArgumentException.ThrowIfNullOrWhiteSpace(userAddress);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        records.AddOrUpdate(
            (senderAddress, userAddress),
            static (_, state) => state.Create(state.At),
            static (_, existing, state) => state.Update(existing, state.At),
            (At: at, Create: create, Update: update));
        return ValueTask.CompletedTask;
    }

    private static DateTimeOffset Later(DateTimeOffset? stored, DateTimeOffset given) =>
        stored is { } s && s >= given ? s : given;
}
