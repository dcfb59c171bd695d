using System.Globalization;
using System.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OmniChannel.Messaging.AspNetCore.Internal;

/// <summary>
/// The mapped endpoints: validate, parse, dedupe, apply opt-out keywords, enqueue, answer fast (200 TwiML for inbound,
/// 204 for status callbacks, 200 for Conversations events; 200 for a repeat; 503 + Retry-After when the queue is full or a
/// store cannot record the webhook). With a shared outbox registered, the dedupe record and the stored webhook are one
/// atomic step and the answer goes out only after it.
/// </summary>
internal sealed class WebhookEndpoints(
    IOptions<TwilioWebhookOptions> options,
    WebhookGate gate,
    WebhookQueue queue,
    WebhookOutboxPump pump,
    IWebhookDedupeStore dedupe,
    ISuppressionList suppressionList,
    OptOutClassifier classifier,
    TimeProvider timeProvider,
    WebhookMetrics metrics,
    ILogger<WebhookEndpoints> logger)
{
    private const string EmptyTwiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

    private readonly TwilioWebhookOptions settings = options.Value;
    private readonly string retryAfter = ((int)Math.Ceiling(options.Value.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    public async Task InboundAsync(HttpContext context)
    {
        if (await ValidatedFieldsAsync(context).ConfigureAwait(false) is not { } fields)
        {
            return;
        }

        if (WebhookPayloads.Inbound(fields, classifier, timeProvider.GetUtcNow()) is not { } message)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var partition = message.From ?? message.MessageSid;
        var admission = pump.Outbox is { } outbox
            ? await AdmitInboundToOutboxAsync(context, outbox, fields, message, partition).ConfigureAwait(false)
            : await AdmitInboundAsync(context, fields, message, partition).ConfigureAwait(false);
        if (admission == Admission.Unavailable)
        {
            return;
        }

        var reply = admission == Admission.New && message.Channel == MessagingChannel.Sms ? ReplyFor(message.Keyword.Intent) : null;
        await WriteTwimlAsync(context, reply).ConfigureAwait(false);
    }

    private async ValueTask<Admission> AdmitInboundAsync(HttpContext context, WebhookFields fields, InboundMessage message, string partition)
    {
        var (key, admission) = await AdmitAsync(context, WebhookKind.InboundMessage, fields).ConfigureAwait(false);
        if (admission != Admission.New)
        {
            return admission;
        }

        try
        {
            // Keywords are applied before answering, so a send right after the STOP is already suppressed.
            await ApplyKeywordAsync(message, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsStoreFailure(exception, context))
        {
            await ReleaseAsync(key).ConfigureAwait(false);
            AnswerUnavailable(context, WebhookKind.InboundMessage, exception);
            return Admission.Unavailable;
        }
        catch
        {
            await ReleaseAsync(key).ConfigureAwait(false);
            throw;
        }

        return await EnqueueAsync(context, key, new WebhookWorkItem(WebhookKind.InboundMessage, partition, message)).ConfigureAwait(false)
            ? Admission.New
            : Admission.Unavailable;
    }

    private async ValueTask<Admission> AdmitInboundToOutboxAsync(HttpContext context, IWebhookOutbox outbox, WebhookFields fields, InboundMessage message, string partition)
    {
        try
        {
            // The keyword goes first: once the webhook is stored, a failure could no longer ask Twilio for a retry (the
            // retry would be a repeat). A repeat therefore applies its keyword again, which changes nothing.
            await ApplyKeywordAsync(message, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsStoreFailure(exception, context))
        {
            AnswerUnavailable(context, WebhookKind.InboundMessage, exception);
            return Admission.Unavailable;
        }

        return await StoreInOutboxAsync(context, outbox, WebhookKind.InboundMessage, fields, partition, message.ReceivedAt).ConfigureAwait(false);
    }

    public async Task StatusAsync(HttpContext context)
    {
        if (await ValidatedFieldsAsync(context).ConfigureAwait(false) is not { } fields)
        {
            return;
        }

        if (WebhookPayloads.Status(fields, timeProvider.GetUtcNow()) is not { } callback)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (await AdmitAsync(context, WebhookKind.StatusCallback, fields, callback.MessageSid, callback, callback.ReceivedAt).ConfigureAwait(false) == Admission.New)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
    }

    public async Task ConversationAsync(HttpContext context)
    {
        if (await ValidatedFieldsAsync(context).ConfigureAwait(false) is not { } fields)
        {
            return;
        }

        if (WebhookPayloads.Conversation(fields, timeProvider.GetUtcNow()) is not { } conversationEvent)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var partition = conversationEvent.ConversationSid ?? conversationEvent.ParticipantSid ?? conversationEvent.EventType.Value;
        if (await AdmitAsync(context, WebhookKind.ConversationEvent, fields, partition, conversationEvent, conversationEvent.ReceivedAt).ConfigureAwait(false) == Admission.New)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
        }
    }

    /// <summary>
    /// Dedupes and queues a webhook that needs nothing done before the answer. A repeat is answered 200 here; a webhook
    /// that cannot be recorded or queued is answered 503; a new one is left for the caller to answer.
    /// </summary>
    private async ValueTask<Admission> AdmitAsync(HttpContext context, WebhookKind kind, WebhookFields fields, string partition, object payload, DateTimeOffset receivedAt)
    {
        Admission admission;
        if (pump.Outbox is { } outbox)
        {
            admission = await StoreInOutboxAsync(context, outbox, kind, fields, partition, receivedAt).ConfigureAwait(false);
        }
        else
        {
            string? key;
            (key, admission) = await AdmitAsync(context, kind, fields).ConfigureAwait(false);
            if (admission == Admission.New && !await EnqueueAsync(context, key, new WebhookWorkItem(kind, partition, payload)).ConfigureAwait(false))
            {
                admission = Admission.Unavailable;
            }
        }

        if (admission == Admission.Repeat)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
        }

        return admission;
    }

    private async ValueTask<Admission> StoreInOutboxAsync(HttpContext context, IWebhookOutbox outbox, WebhookKind kind, WebhookFields fields, string partition, DateTimeOffset receivedAt)
    {
        var (key, source) = DedupeKeys.For(context, kind, fields);
        var webhook = new QueuedWebhook
        {
            Kind = WebhookOutboxPump.KindName(kind),
            PartitionKey = partition,
            Parameters = fields.Pairs,
            ReceivedAt = receivedAt,
            DedupeKey = key,
        };
        try
        {
            if (!await outbox.TryEnqueueAsync(webhook, settings.DedupeTimeToLive, context.RequestAborted).ConfigureAwait(false))
            {
                metrics.Duplicate(kind);
                WebhookLog.Duplicate(logger, kind, source);
                return Admission.Repeat;
            }
        }
        catch (Exception exception) when (IsStoreFailure(exception, context))
        {
            AnswerUnavailable(context, kind, exception);
            return Admission.Unavailable;
        }

        metrics.Accepted(kind);
        pump.Wake();
        return Admission.New;
    }

    private async ValueTask<WebhookFields?> ValidatedFieldsAsync(HttpContext context)
    {
        var status = await gate.CheckAsync(context, forBinding: false).ConfigureAwait(false);
        if (status != 0)
        {
            context.Response.StatusCode = status;
            return null;
        }

        return context.Features.Get<ValidatedWebhookFeature>()!.Fields;
    }

    private async ValueTask<(string? Key, Admission Admission)> AdmitAsync(HttpContext context, WebhookKind kind, WebhookFields fields)
    {
        var (key, source) = DedupeKeys.For(context, kind, fields);
        try
        {
            if (key is null || await dedupe.TryMarkSeenAsync(key, settings.DedupeTimeToLive, context.RequestAborted).ConfigureAwait(false))
            {
                return (key, Admission.New);
            }
        }
        catch (Exception exception) when (IsStoreFailure(exception, context))
        {
            // The event could not be recorded (a shared store down): never answer 200 for it, ask Twilio to come back.
            AnswerUnavailable(context, kind, exception);
            return (key, Admission.Unavailable);
        }

        metrics.Duplicate(kind);
        WebhookLog.Duplicate(logger, kind, source);
        return (key, Admission.Repeat);
    }

    private static bool IsStoreFailure(Exception exception, HttpContext context) =>
        exception is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested;

    private void AnswerUnavailable(HttpContext context, WebhookKind kind, Exception exception)
    {
        metrics.Rejected(StatusCodes.Status503ServiceUnavailable);
        WebhookLog.StoreUnavailable(logger, kind, exception);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = retryAfter;
    }

    private async ValueTask<bool> EnqueueAsync(HttpContext context, string? key, WebhookWorkItem item)
    {
        if (queue.TryEnqueue(item))
        {
            metrics.Accepted(item.Kind);
            return true;
        }

        // Forget the key so Twilio's retry is processed, then ask for that retry.
        await ReleaseAsync(key).ConfigureAwait(false);
        metrics.Rejected(StatusCodes.Status503ServiceUnavailable);
        WebhookLog.QueueFull(logger, queue.Capacity);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = retryAfter;
        return false;
    }

    private async ValueTask ReleaseAsync(string? key)
    {
        if (key is not null)
        {
            try
            {
                await dedupe.ReleaseAsync(key, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Releasing is best effort: a key left behind only makes Twilio's retry look like a repeat until it expires.
                WebhookLog.DedupeReleaseFailed(logger, exception);
            }
        }
    }

    private enum Admission
    {
        New,
        Repeat,
        Unavailable,
    }

    private async ValueTask ApplyKeywordAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        if (message.Keyword.Intent is not (OptOutIntent.OptOut or OptOutIntent.OptIn) || message.From is not { } from)
        {
            return;
        }

        // Twilio applies an opt-out received by a Messaging Service member to the whole service, else to the number.
        var scope = SuppressionScope.For(message.MessagingServiceSid, message.To);

        if (message.Keyword.Intent == OptOutIntent.OptOut)
        {
            await suppressionList.SuppressAsync(message.Channel, scope, from, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await suppressionList.ReleaseAsync(message.Channel, scope, from, cancellationToken).ConfigureAwait(false);
        }

        WebhookLog.KeywordApplied(logger, message.Channel, message.Keyword.Intent, message.Keyword.Keyword);
    }

    private string? ReplyFor(OptOutIntent intent) => intent switch
    {
        OptOutIntent.OptOut => settings.OptOutReply,
        OptOutIntent.OptIn => settings.OptInReply,
        OptOutIntent.Help => settings.HelpReply,
        _ => null,
    };

    private static Task WriteTwimlAsync(HttpContext context, string? reply)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/xml; charset=utf-8";
        var body = string.IsNullOrEmpty(reply)
            ? EmptyTwiml
            : $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>{SecurityElement.Escape(reply)}</Message></Response>";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}
