namespace OmniChannel.Messaging.AspNetCore;

/// <summary>
/// Provides handling of Conversations post-event webhooks. Register implementations in DI; each is resolved in a scope
/// per webhook and called in the background; events of one conversation are handled one at a time, in arrival order.
/// </summary>
/// <remarks>An exception is logged, counted and retried up to <see cref="TwilioWebhookOptions.HandlerRetryCount"/> times; handlers must be idempotent.</remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It handles Conversations events, Twilio's own term; it is not a .NET event delegate.")]
public interface IConversationEventHandler
{
    /// <summary>Handles one Conversations event.</summary>
    /// <param name="conversationEvent">The event.</param>
    /// <param name="cancellationToken">The token cancelled when the app stops and the drain time is over.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    Task HandleAsync(ConversationEvent conversationEvent, CancellationToken cancellationToken);
}
