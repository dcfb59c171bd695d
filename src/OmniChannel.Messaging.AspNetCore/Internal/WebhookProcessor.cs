using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OmniChannel.Messaging.AspNetCore.Internal;

/// <summary>
/// Runs one queued webhook: the built-in steps (WhatsApp window, status fold, suppression after a late 21610), then every
/// registered handler in a DI
/// scope. Each step is retried on its own a bounded number of times; a step that keeps failing is logged, counted and
/// skipped, and never stops the other steps or the worker.
/// </summary>
internal sealed class WebhookProcessor(
    IOptions<TwilioWebhookOptions> options,
    IServiceScopeFactory scopes,
    ILastInboundStore lastInbound,
    IMessageStatusStore statuses,
    ISuppressionList suppressionList,
    TimeProvider timeProvider,
    WebhookMetrics metrics,
    ILogger<WebhookProcessor> logger)
{
    private readonly TwilioWebhookOptions settings = options.Value;

    public async Task ProcessAsync(WebhookWorkItem item, CancellationToken cancellationToken)
    {
        switch (item.Payload)
        {
            case InboundMessage message:
                await InboundAsync(message, cancellationToken).ConfigureAwait(false);
                break;
            case StatusCallback callback:
                await StatusAsync(callback, cancellationToken).ConfigureAwait(false);
                break;
            case ConversationEvent conversationEvent:
                await ConversationAsync(conversationEvent, cancellationToken).ConfigureAwait(false);
                break;
        }

        metrics.ProcessedOne();
    }

    private async Task InboundAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        if (message.Channel == MessagingChannel.WhatsApp && message.From is { } from && message.To is { } to)
        {
            await RunStepAsync("last-inbound", WebhookKind.InboundMessage, ct => lastInbound.RecordInboundAsync(to, from, message.ReceivedAt, ct).AsTask(), cancellationToken)
                .ConfigureAwait(false);
        }

        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            foreach (var handler in scope.ServiceProvider.GetServices<IInboundMessageHandler>())
            {
                await RunStepAsync(handler.GetType().Name, WebhookKind.InboundMessage, ct => handler.HandleAsync(message, ct), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task StatusAsync(StatusCallback callback, CancellationToken cancellationToken)
    {
        var current = callback.ToStatusEvent();
        if (!callback.Status.IsEmpty)
        {
            await RunStepAsync(
                "status-store",
                WebhookKind.StatusCallback,
                async ct => current = await statuses.ApplyAsync(callback.MessageSid, callback.ToStatusEvent(), ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }

        // With a Messaging Service Twilio often accepts a send to an opted-out number and fails it later with 21610 in the
        // status callback; record the opt-out then too, so the next send is stopped before it reaches Twilio.
        if (MessageErrorClassifier.IsOptOut(callback.ErrorCode) && !string.IsNullOrWhiteSpace(callback.To))
        {
            var channel = callback.To.StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase) ? MessagingChannel.WhatsApp : MessagingChannel.Sms;
            var suppressionScope = TwilioSid.IsValid(callback.MessagingServiceSid, "MG") ? SuppressionScope.MessagingService(callback.MessagingServiceSid!)
                : !string.IsNullOrWhiteSpace(callback.From) ? SuppressionScope.Sender(callback.From)
                : SuppressionScope.All;
            await RunStepAsync("suppression", WebhookKind.StatusCallback, ct => suppressionList.SuppressAsync(channel, suppressionScope, callback.To, ct).AsTask(), cancellationToken)
                .ConfigureAwait(false);
        }

        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            foreach (var handler in scope.ServiceProvider.GetServices<IStatusCallbackHandler>())
            {
                await RunStepAsync(handler.GetType().Name, WebhookKind.StatusCallback, ct => handler.HandleAsync(callback, current, ct), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ConversationAsync(ConversationEvent conversationEvent, CancellationToken cancellationToken)
    {
        if (conversationEvent.EventType == ConversationEventType.DeliveryUpdated && !conversationEvent.Status.IsEmpty
            && (conversationEvent.ChannelMessageSid ?? conversationEvent.MessageSid) is { } sid)
        {
            // A receipt describes one participant's channel message, the same SID its status callbacks carry.
            var receipt = new MessageStatusEvent(
                conversationEvent.Status,
                conversationEvent.DateUpdated ?? conversationEvent.ReceivedAt,
                conversationEvent.ErrorCode is null or 0 ? null : conversationEvent.ErrorCode);
            await RunStepAsync("status-store", WebhookKind.ConversationEvent, ct => statuses.ApplyAsync(sid, receipt, ct).AsTask(), cancellationToken).ConfigureAwait(false);
        }

        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            foreach (var handler in scope.ServiceProvider.GetServices<IConversationEventHandler>())
            {
                await RunStepAsync(handler.GetType().Name, WebhookKind.ConversationEvent, ct => handler.HandleAsync(conversationEvent, ct), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RunStepAsync(string step, WebhookKind kind, Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        var attempts = settings.HandlerRetryCount + 1;
        var delay = settings.HandlerRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                metrics.StepFailed();
                WebhookLog.StepFailed(logger, ex, step, kind, attempt, attempts);
                if (attempt >= attempts)
                {
                    metrics.GaveUp();
                    WebhookLog.StepGaveUp(logger, step, kind, attempts);
                    return;
                }
            }

            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
                delay *= 2;
            }
        }
    }
}
