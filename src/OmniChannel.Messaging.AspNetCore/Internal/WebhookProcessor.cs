using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OmniChannel.Messaging.AspNetCore.Internal;

/// <summary>
/// Runs one queued webhook: the built-in steps (WhatsApp window, status fold, suppression after a late 21610), then every
/// registered handler, in a DI scope per webhook unless every handler of that kind is a singleton (then the handlers
/// are resolved once and no scope is made). Each step is retried on its own a bounded number of times; a step that
/// keeps failing is logged, counted and skipped, and never stops the other steps or the worker.
/// </summary>
internal sealed class WebhookProcessor(
    IOptions<TwilioWebhookOptions> options,
    IServiceScopeFactory scopes,
    WebhookHandlerRegistrations registrations,
    ILastInboundStore lastInbound,
    IMessageStatusStore statuses,
    ISuppressionList suppressionList,
    TimeProvider timeProvider,
    WebhookMetrics metrics,
    ILogger<WebhookProcessor> logger)
{
    private readonly TwilioWebhookOptions settings = options.Value;
    private readonly Lazy<IInboundMessageHandler[]?> inboundSingletons = registrations.Singletons<IInboundMessageHandler>();
    private readonly Lazy<IStatusCallbackHandler[]?> statusSingletons = registrations.Singletons<IStatusCallbackHandler>();
    private readonly Lazy<IConversationEventHandler[]?> conversationSingletons = registrations.Singletons<IConversationEventHandler>();

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
        if (message.Channel == MessagingChannel.WhatsApp && message.From is not null && message.To is not null)
        {
            await RecordLastInboundAsync(message, cancellationToken).ConfigureAwait(false);
        }

        await RunHandlersAsync(inboundSingletons, message, static (h, m, ct) => h.HandleAsync(m, ct), WebhookKind.InboundMessage, cancellationToken).ConfigureAwait(false);
    }

    // Its own method: the lambda's closure is then allocated only for WhatsApp messages, not on every inbound webhook.
    private Task RecordLastInboundAsync(InboundMessage message, CancellationToken cancellationToken) =>
        RunStepAsync("last-inbound", WebhookKind.InboundMessage, ct => lastInbound.RecordInboundAsync(message.To!, message.From!, message.ReceivedAt, ct).AsTask(), cancellationToken);

    private async Task StatusAsync(StatusCallback callback, CancellationToken cancellationToken)
    {
        var current = callback.ToStatusEvent();
        var isLate63016 = callback.ErrorCode == MessageErrorClassifier.OutsideWindowCode && callback.Status.IsFailure;

        // The message left no later than this callback arrived, and no later than any report already stored for it.
        var sentNoLaterThan = callback.ReceivedAt == default ? timeProvider.GetUtcNow() : callback.ReceivedAt;
        if (!callback.Status.IsEmpty)
        {
            await RunStepAsync(
                "status-store",
                WebhookKind.StatusCallback,
                async ct =>
                {
                    if (isLate63016 && await statuses.GetAsync(callback.MessageSid, ct).ConfigureAwait(false) is { } earlier && earlier.Timestamp < sentNoLaterThan)
                    {
                        sentNoLaterThan = earlier.Timestamp;
                    }

                    current = await statuses.ApplyAsync(callback.MessageSid, callback.ToStatusEvent(), ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }

        // With a Messaging Service Twilio often accepts a send to an opted-out number and fails it later with 21610 in the
        // status callback; record the opt-out then too, so the next send is stopped before it reaches Twilio.
        if (MessageErrorClassifier.IsOptOut(callback.ErrorCode) && !string.IsNullOrWhiteSpace(callback.To))
        {
            var channel = callback.To.StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase) ? MessagingChannel.WhatsApp : MessagingChannel.Sms;
            var suppressionScope = SuppressionScope.For(callback.MessagingServiceSid, callback.From);
            await RunStepAsync("suppression", WebhookKind.StatusCallback, ct => suppressionList.SuppressAsync(channel, suppressionScope, callback.To, ct).AsTask(), cancellationToken)
                .ConfigureAwait(false);
        }

        // A WhatsApp free-form message sent outside the 24-hour window fails later with 63016: record the window closed,
        // so every client sharing the store sends templates until the user writes again.
        if (isLate63016
            && callback.To is { } user && user.StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(callback.From))
        {
            await RunStepAsync("window-closed", WebhookKind.StatusCallback, ct => RecordWindowClosedAsync(callback.From!, user, sentNoLaterThan, ct), cancellationToken).ConfigureAwait(false);
        }

        await RunHandlersAsync(statusSingletons, (callback, current), static (h, a, ct) => h.HandleAsync(a.callback, a.current, ct), WebhookKind.StatusCallback, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task RecordWindowClosedAsync(string business, string user, DateTimeOffset sentNoLaterThan, CancellationToken cancellationToken)
    {
        var record = await lastInbound.GetAsync(business, user, cancellationToken).ConfigureAwait(false);
        if (record?.LastInboundAt > sentNoLaterThan)
        {
            // The user wrote after the message had certainly left (after an earlier report for it, or after this
            // callback arrived): the 63016 is about the window before that, which is open again now.
            return;
        }

        await lastInbound.RecordWindowClosedAsync(business, user, record?.LastInboundAt ?? DateTimeOffset.UnixEpoch, cancellationToken).ConfigureAwait(false);
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

        await RunHandlersAsync(conversationSingletons, conversationEvent, static (h, e, ct) => h.HandleAsync(e, ct), WebhookKind.ConversationEvent, cancellationToken).ConfigureAwait(false);
    }

    private async Task RunHandlersAsync<THandler, TArgument>(
        Lazy<THandler[]?> singletons, TArgument argument, Func<THandler, TArgument, CancellationToken, Task> invoke, WebhookKind kind, CancellationToken cancellationToken)
        where THandler : class
    {
        if (singletons.Value is { } handlers)
        {
            foreach (var handler in handlers)
            {
                await RunHandlerAsync(handler, argument, invoke, kind, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            foreach (var handler in scope.ServiceProvider.GetServices<THandler>())
            {
                await RunHandlerAsync(handler, argument, invoke, kind, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Runs a handler as a step. The first attempt is made here: when it completes synchronously and successfully (the
    /// common case for a handler that logs or hands work on) nothing more is allocated: no closure, no retry loop. Any
    /// other outcome goes through <see cref="RunStepAsync(string, WebhookKind, Func{CancellationToken, Task}, Task?, bool, CancellationToken)"/>
    /// with that first attempt, so failures, retries and logging are exactly those of any other step.
    /// </summary>
    private Task RunHandlerAsync<THandler, TArgument>(
        THandler handler, TArgument argument, Func<THandler, TArgument, CancellationToken, Task> invoke, WebhookKind kind, CancellationToken cancellationToken)
        where THandler : class
    {
        Task first;
        try
        {
            first = invoke(handler, argument, cancellationToken);
        }
#pragma warning disable CA1031 // Not swallowed: the exception is rethrown by the first attempt's await in RunStepAsync.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            first = Task.FromException(ex);
        }

        return first is { IsCompletedSuccessfully: true } ? Task.CompletedTask : RetryHandlerAsync(handler, argument, invoke, kind, first, cancellationToken);
    }

    private Task RetryHandlerAsync<THandler, TArgument>(
        THandler handler, TArgument argument, Func<THandler, TArgument, CancellationToken, Task> invoke, WebhookKind kind, Task? first, CancellationToken cancellationToken)
        where THandler : class =>
        RunStepAsync(handler.GetType().Name, kind, ct => invoke(handler, argument, ct), first, firstAttemptMade: true, cancellationToken);

    private Task RunStepAsync(string step, WebhookKind kind, Func<CancellationToken, Task> action, CancellationToken cancellationToken) =>
        RunStepAsync(step, kind, action, null, firstAttemptMade: false, cancellationToken);

    private async Task RunStepAsync(string step, WebhookKind kind, Func<CancellationToken, Task> action, Task? first, bool firstAttemptMade, CancellationToken cancellationToken)
    {
        var attempts = settings.HandlerRetryCount + 1;
        var delay = settings.HandlerRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // A null task from a handler fails here as it would have when awaited directly.
                await (attempt == 1 && firstAttemptMade ? first! : action(cancellationToken)).ConfigureAwait(false);
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
