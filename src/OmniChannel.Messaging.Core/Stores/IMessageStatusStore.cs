namespace OmniChannel.Messaging;

/// <summary>
/// Provides the current status of each message, folded by <see cref="MessageStatusReducer"/> from the status reports
/// received for it (status callbacks, delivery receipts) in whatever order they arrive. The default lives in memory;
/// share one (for example the PostgreSQL store) across app instances.
/// </summary>
public interface IMessageStatusStore
{
    /// <summary>Folds a status report into a message's state and returns the new state.</summary>
    /// <param name="messageSid">The message's SID (<c>SM…</c>, <c>MM…</c> or <c>IM…</c>).</param>
    /// <param name="statusEvent">The report that arrived.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The message's state after the fold: the winning report under the reducer's precedence.</returns>
    ValueTask<MessageStatusEvent> ApplyAsync(string messageSid, MessageStatusEvent statusEvent, CancellationToken cancellationToken = default);

    /// <summary>Gets a message's current state.</summary>
    /// <param name="messageSid">The message's SID.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The winning report so far, or <see langword="null"/> when none was received.</returns>
    ValueTask<MessageStatusEvent?> GetAsync(string messageSid, CancellationToken cancellationToken = default);
}
