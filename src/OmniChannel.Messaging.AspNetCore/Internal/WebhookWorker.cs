using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OmniChannel.Messaging.AspNetCore.Internal;

/// <summary>
/// The hosted worker: one loop per queue lane. On shutdown it stops accepting (the endpoints answer 503), then drains
/// what is queued until the host's shutdown timeout, after which running handlers are cancelled. A webhook that came
/// from the outbox is completed there once processed, or given back when shutdown cut it short.
/// </summary>
internal sealed class WebhookWorker(WebhookQueue queue, WebhookProcessor processor, WebhookOutboxPump pump, ILogger<WebhookWorker> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource abort = new();
    private Task[] loops = [];

    public bool IsRunning => loops.Length > 0 && !queue.IsCompleted && loops.All(l => !l.IsCompleted);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        loops = new Task[queue.LaneCount];
        for (var i = 0; i < loops.Length; i++)
        {
            var lane = i;
            loops[i] = Task.Run(() => RunLaneAsync(lane), CancellationToken.None);
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
}
