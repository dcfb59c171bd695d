namespace OmniChannel.Messaging.AspNetCore;

/// <summary>
/// Provides handling of message status callbacks. Register implementations in DI; each is resolved in a scope per
/// webhook and called in the background, after the status was folded into <see cref="IMessageStatusStore"/>.
/// </summary>
/// <remarks>An exception is logged, counted and retried up to <see cref="TwilioWebhookOptions.HandlerRetryCount"/> times; handlers must be idempotent.</remarks>
public interface IStatusCallbackHandler
{
    /// <summary>Handles one status callback.</summary>
    /// <param name="callback">The callback.</param>
    /// <param name="currentStatus">The message's state after folding this callback: the status to act on, since callbacks arrive out of order.</param>
    /// <param name="cancellationToken">The token cancelled when the app stops and the drain time is over.</param>
    /// <returns>A task that completes when the callback is handled.</returns>
    Task HandleAsync(StatusCallback callback, MessageStatusEvent currentStatus, CancellationToken cancellationToken);
}
