using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OmniChannel.Messaging.AspNetCore.Internal;

/// <summary>
/// Feeds the worker from a shared <see cref="IWebhookOutbox"/> when one is registered: claims as many webhooks as the
/// workers can start soon (at most twice <see cref="TwilioWebhookOptions.WorkerConcurrency"/> held at once, so a lease
/// runs while its webhook is processed, not while it waits behind a backlog), rebuilds their payloads and queues them;
/// the worker completes them after processing, several per statement under load. It claims at once when this instance accepted a webhook or finished one, and otherwise every
/// <see cref="TwilioWebhookOptions.OutboxPollInterval"/>, for webhooks other instances accepted or a dead worker left.
/// Without an outbox it does nothing.
/// </summary>
internal sealed class WebhookOutboxPump : IHostedService, IDisposable
{
    private const int MaxBatch = 64;

    private readonly WebhookQueue queue;
    private readonly OptOutClassifier classifier;
    private readonly TimeProvider timeProvider;
    private readonly WebhookMetrics metrics;
    private readonly ILogger<WebhookOutboxPump> logger;
    private readonly TwilioWebhookOptions settings;
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource disposing = new();
    private readonly ConcurrentDictionary<long, QueuedWebhook> held = new();
    private Task loop = Task.CompletedTask;
    private int disposed;

    public WebhookOutboxPump(
        IServiceProvider services,
        WebhookQueue queue,
        OptOutClassifier classifier,
        TimeProvider timeProvider,
        WebhookMetrics metrics,
        IOptions<TwilioWebhookOptions> options,
        ILogger<WebhookOutboxPump> logger)
    {
        Outbox = services.GetService<IWebhookOutbox>();
        this.queue = queue;
        this.classifier = classifier;
        this.timeProvider = timeProvider;
        this.metrics = metrics;
        this.logger = logger;
        settings = options.Value;
    }

    /// <summary>Gets the registered outbox, or <see langword="null"/> when webhooks are queued in memory only.</summary>
    public IWebhookOutbox? Outbox { get; }

    public bool IsRunning => Outbox is null || !loop.IsCompleted;

    /// <summary>Asks for a claim now: a webhook was stored, or one finished and its partition may have a next one.</summary>
    public void Wake() => wake.Writer.TryWrite(true);

    /// <summary>Stops extending the lease of a webhook the worker completed or gave back.</summary>
    public void Release(QueuedWebhook webhook) => held.TryRemove(KeyValuePair.Create(webhook.Id, webhook));

    public static string KindName(WebhookKind kind) => kind switch
    {
        WebhookKind.InboundMessage => "inbound",
        WebhookKind.StatusCallback => "status",
        _ => "conversation",
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Outbox is not null)
        {
            loop = Task.Run(() => RunAsync(Outbox), CancellationToken.None);

            // Leases are extended until the host is disposed, so the worker's drain after StopAsync keeps them too.
            _ = Task.Run(() => ExtendLeasesAsync(Outbox), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop claiming; what is already queued is the worker's to drain (and complete, or give back).
        await stopping.CancelAsync().ConfigureAwait(false);
        await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        // The container disposes this instance twice (as itself and as the hosted service it also is).
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            disposing.Cancel();
            disposing.Dispose();
            stopping.Dispose();
        }
    }

    private async Task RunAsync(IWebhookOutbox outbox)
    {
        var token = stopping.Token;
        var failures = 0;
        while (!token.IsCancellationRequested)
        {
            // Claim no more than the workers can start soon (twice their number, so the next claim is already there
            // when a worker frees up): a webhook claimed early would wait in a lane while its lease ran out, then be
            // claimed again (here or elsewhere) and processed twice, each claim counting toward OutboxMaxAttempts.
            var room = Math.Min(Math.Min(queue.Capacity, 2 * settings.WorkerConcurrency) - queue.Depth, MaxBatch);
            var claimedAll = false;
            if (room > 0)
            {
                try
                {
                    var claimed = await outbox.ClaimAsync(room, settings.OutboxLease, token).ConfigureAwait(false);
                    failures = 0;
                    foreach (var webhook in claimed)
                    {
                        await DispatchAsync(outbox, webhook).ConfigureAwait(false);
                    }

                    claimedAll = claimed.Count == room;
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception exception)
                {
                    // The shared store is down: the endpoints are answering 503 meanwhile; back off and try again.
                    failures++;
                    WebhookLog.OutboxClaimFailed(logger, exception);
                }
            }

            if (!claimedAll)
            {
                await WaitAsync(failures == 0 ? settings.OutboxPollInterval : Backoff(failures), token).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask DispatchAsync(IWebhookOutbox outbox, QueuedWebhook webhook)
    {
        if (webhook.Attempt > settings.OutboxMaxAttempts)
        {
            // Claimed over and over and never completed: its workers keep dying on it. Stop the loop here.
            metrics.GaveUp();
            WebhookLog.OutboxGaveUp(logger, webhook.Kind, webhook.Id, webhook.Attempt - 1);
            await CompleteQuietlyAsync(outbox, webhook, logger).ConfigureAwait(false);
            return;
        }

        if (Rebuild(webhook) is not { } item)
        {
            WebhookLog.OutboxUnreadable(logger, webhook.Kind, webhook.Id);
            await CompleteQuietlyAsync(outbox, webhook, logger).ConfigureAwait(false);
        }
        else
        {
            held[webhook.Id] = webhook;
            if (!queue.TryEnqueue(item))
            {
                // The lanes filled up (or are closing) since the claim: give it back for the next claim.
                held.TryRemove(KeyValuePair.Create(webhook.Id, webhook));
                await AbandonQuietlyAsync(outbox, webhook, logger).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Every third of <see cref="TwilioWebhookOptions.OutboxLease"/>, extends the leases of the webhooks this instance
    /// holds (running or waiting in a lane), so a handler slower than the lease is not taken over by another instance
    /// while it runs. Only a dead process lets its leases run out.
    /// </summary>
    private async Task ExtendLeasesAsync(IWebhookOutbox outbox)
    {
        var token = disposing.Token;
        var every = settings.OutboxLease / 3;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, timeProvider, token).ConfigureAwait(false);
                if (held.IsEmpty)
                {
                    continue;
                }

                await outbox.ExtendLeasesAsync([.. held.Values], settings.OutboxLease, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // Tried again at the next third; a lease that runs out meanwhile can let another instance run it twice.
                WebhookLog.OutboxLeaseExtensionFailed(logger, exception, held.Count);
            }
        }
    }

    private WebhookWorkItem? Rebuild(QueuedWebhook webhook)
    {
        var fields = new WebhookFields([.. webhook.Parameters]);
        switch (webhook.Kind)
        {
            case "inbound" when WebhookPayloads.Inbound(fields, classifier, webhook.ReceivedAt) is { } message:
                return new WebhookWorkItem(WebhookKind.InboundMessage, webhook.PartitionKey, message, webhook);
            case "status" when WebhookPayloads.Status(fields, webhook.ReceivedAt) is { } callback:
                return new WebhookWorkItem(WebhookKind.StatusCallback, webhook.PartitionKey, callback, webhook);
            case "conversation" when WebhookPayloads.Conversation(fields, webhook.ReceivedAt) is { } conversationEvent:
                return new WebhookWorkItem(WebhookKind.ConversationEvent, webhook.PartitionKey, conversationEvent, webhook);
            default:
                return null;
        }
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken token)
    {
        using var timeout = new CancellationTokenSource(delay, timeProvider);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(token, timeout.Token);
        try
        {
            await wake.Reader.ReadAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The interval passed, or the pump is stopping; the loop checks which.
        }
    }

    private TimeSpan Backoff(int failures) =>
        TimeSpan.FromTicks(Math.Min(settings.OutboxPollInterval.Ticks * (1L << Math.Min(failures, 5)), TimeSpan.FromSeconds(30).Ticks));

    internal static async ValueTask CompleteQuietlyAsync(IWebhookOutbox outbox, QueuedWebhook webhook, ILogger logger)
    {
        try
        {
            await outbox.CompleteAsync([webhook], CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Left in the outbox, the webhook is claimed again when its lease ends: processed twice, never lost.
            WebhookLog.OutboxCompleteFailed(logger, exception, webhook.Kind, webhook.Id);
        }
    }

    internal static async ValueTask AbandonQuietlyAsync(IWebhookOutbox outbox, QueuedWebhook webhook, ILogger logger)
    {
        try
        {
            await outbox.AbandonAsync(webhook, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Its lease still ends on its own; another worker takes it then.
            WebhookLog.OutboxCompleteFailed(logger, exception, webhook.Kind, webhook.Id);
        }
    }
}
