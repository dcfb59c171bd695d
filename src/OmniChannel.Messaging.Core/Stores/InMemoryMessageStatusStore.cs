using System.Collections.Concurrent;

namespace OmniChannel.Messaging;

/// <summary>
/// Provides a thread-safe, process-local <see cref="IMessageStatusStore"/>, and lets code observe a message's status
/// change with <see cref="StatusChanged"/>. States are lost when the process ends.
/// </summary>
public sealed class InMemoryMessageStatusStore : IMessageStatusStore
{
    private readonly ConcurrentDictionary<string, MessageStatusEvent> states = new(StringComparer.Ordinal);

    /// <summary>
    /// Occurs after a report changed a message's state, with the message SID and the new state. Handlers run on the
    /// caller's thread and must be quick.
    /// </summary>
    public event Action<string, MessageStatusEvent>? StatusChanged;

    /// <inheritdoc/>
    public ValueTask<MessageStatusEvent> ApplyAsync(string messageSid, MessageStatusEvent statusEvent, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageSid);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<MessageStatusEvent>(cancellationToken);
        }

        while (true)
        {
            if (!states.TryGetValue(messageSid, out var current))
            {
                if (statusEvent.IsEmpty)
                {
                    return ValueTask.FromResult(statusEvent);
                }

                if (states.TryAdd(messageSid, statusEvent))
                {
                    StatusChanged?.Invoke(messageSid, statusEvent);
                    return ValueTask.FromResult(statusEvent);
                }

                continue;
            }

            var next = MessageStatusReducer.Apply(current, statusEvent);
            if (next.Equals(current))
            {
                return ValueTask.FromResult(current);
            }

            if (states.TryUpdate(messageSid, next, current))
            {
                StatusChanged?.Invoke(messageSid, next);
                return ValueTask.FromResult(next);
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<MessageStatusEvent?> GetAsync(string messageSid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageSid);
        return ValueTask.FromResult(states.TryGetValue(messageSid, out var state) ? state : (MessageStatusEvent?)null);
    }
}
