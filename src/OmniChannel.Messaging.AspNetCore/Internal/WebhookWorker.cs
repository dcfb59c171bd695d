using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OmniChannel.Messaging.AspNetCore.Internal;

/// <summary>
/// The hosted worker: one loop per queue lane. On shutdown it stops accepting (the endpoints answer 503), then drains
/// what is queued until the host's shutdown timeout, after which running handlers are cancelled. A webhook that came
/// from the outbox is completed there once processed, or given back when shutdown cut it short. Completions go through
/// one loop that deletes whatever has finished since its last statement: one statement per webhook when traffic is
/// light, many per statement under load, and never a wait for a batch to fill.
/// </summary>
internal sealed class WebhookWorker(WebhookQueue queue, WebhookProcessor processor, WebhookOutboxPump pump, ILogger<WebhookWorker> logger) : IHostedService, IDisposable
{
    private const int MaxCompletionBatch = 256;

    private readonly CancellationTokenSource abort = new();
    private readonly Channel<QueuedWebhook> completions = Channel.CreateUnbounded<QueuedWebhook>(new UnboundedChannelOptions { SingleReader = true });
    private Task[] loops = [];
    private Task completing = Task.CompletedTask;

    public bool IsRunning => loops.Length > 0 && !queue.IsCompleted && loops.All(l => !l.IsCompleted);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        loops = new Task[queue.LaneCount];
        for (var i = 0; i < loops.Length; i++)
        {
            var lane = i;
            loops[i] = Task.Run(() => RunLaneAsync(lane), CancellationToken.None);
        }

        if (pump.Outbox is { } outbox)
        {
            completing = Task.Run(() => CompleteProcessedAsync(outbox), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        WebhookLog.Draining(logger, queue.Depth);
        queue.Complete();
        try
        {
            await Task.WhenAll(loops).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            WebhookLog.DrainIncomplete(logger, queue.Depth);
            await abort.CancelAsync().ConfigureAwait(false);
        }

        // What finished is deleted from the outbox before the host goes; if even that runs out of time, those webhooks
        // are claimed again when their leases end.
        completions.Writer.TryComplete();
        try
        {
            await completing.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose() => abort.Dispose();

    private async Task RunLaneAsync(int lane)
    {
        var reader = queue.Lane(lane);
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                var processed = false;
                try
                {
                    if (!abort.IsCancellationRequested)
                    {
                        await processor.ProcessAsync(item, abort.Token).ConfigureAwait(false);
                        processed = !abort.IsCancellationRequested;
                    }
                }
#pragma warning disable CA1031 // The worker must outlive any webhook: ProcessAsync already logged and counted the failure.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
                finally
                {
                    queue.MarkDone();
                }

                if (item.Outboxed is { } outboxed && pump.Outbox is { } outbox)
                {
                    pump.Release(outboxed);
                    if (processed && completions.Writer.TryWrite(outboxed))
                    {
                        continue;
                    }

                    // Cut short by shutdown: give it back. Finished after the completion loop closed: complete it here.
                    if (processed)
                    {
                        await WebhookOutboxPump.CompleteQuietlyAsync(outbox, outboxed, logger).ConfigureAwait(false);
                    }
                    else
                    {
                        await WebhookOutboxPump.AbandonQuietlyAsync(outbox, outboxed, logger).ConfigureAwait(false);
                    }

                    pump.Wake();
                }
            }
        }
    }

    private async Task CompleteProcessedAsync(IWebhookOutbox outbox)
    {
        var reader = completions.Reader;
        var batch = new List<QueuedWebhook>();
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (batch.Count < MaxCompletionBatch && reader.TryRead(out var webhook))
            {
                batch.Add(webhook);
            }

            try
            {
                await outbox.CompleteAsync(batch, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // Left in the outbox, they are claimed again when their leases end: processed twice, never lost.
                WebhookLog.OutboxCompletionsFailed(logger, exception, batch.Count);
            }

            batch.Clear();

            // Their partitions' next webhooks are claimable now, and the lanes have room.
            pump.Wake();
        }
    }
}
