namespace OmniChannel.Messaging.AspNetCore;

/// <summary>
/// Provides handling of inbound messages. Register implementations in DI; each is resolved in a scope per webhook and
/// called in the background after Twilio was answered, after the built-in steps (keywords, WhatsApp window).
/// </summary>
/// <remarks>An exception is logged, counted and retried up to <see cref="TwilioWebhookOptions.HandlerRetryCount"/> times; handlers must be idempotent.</remarks>
public interface IInboundMessageHandler
{
    /// <summary>Handles one inbound message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">The token cancelled when the app stops and the drain time is over.</param>
    /// <returns>A task that completes when the message is handled.</returns>
    Task HandleAsync(InboundMessage message, CancellationToken cancellationToken);
}
