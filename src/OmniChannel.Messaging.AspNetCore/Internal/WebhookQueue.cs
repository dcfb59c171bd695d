using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace OmniChannel.Messaging.AspNetCore.Internal;

/// <summary>One accepted webhook waiting for the worker; <paramref name="Outboxed"/> is its outbox entry when it came from one.</summary>
internal sealed record WebhookWorkItem(WebhookKind Kind, string PartitionKey, object Payload, QueuedWebhook? Outboxed = null);

/// <summary>
/// The bounded queue between the endpoints and the worker: one lane per worker, a webhook's lane chosen by its
/// partition key (conversation, sender or message), so one key's webhooks run in order while lanes run in parallel.
/// The capacity bounds the webhooks queued or running across all lanes.
/// </summary>
internal sealed class WebhookQueue
{
    private readonly Channel<WebhookWorkItem>[] lanes;
    private int depth;
    private volatile bool completed;

    public WebhookQueue(IOptions<TwilioWebhookOptions> options)
    {
        Capacity = options.Value.QueueCapacity;
        lanes = new Channel<WebhookWorkItem>[options.Value.WorkerConcurrency];
        for (var i = 0; i < lanes.Length; i++)
        {
            lanes[i] = Channel.CreateUnbounded<WebhookWorkItem>(new UnboundedChannelOptions { SingleReader = true });
        }
    }

    public int Capacity { get; }

    public int LaneCount => lanes.Length;

    public int Depth => Volatile.Read(ref depth);

    public bool IsCompleted => completed;

    public bool TryEnqueue(WebhookWorkItem item)
    {
        if (completed)
        {
            return false;
        }

        if (Interlocked.Increment(ref depth) > Capacity)
        {
            Interlocked.Decrement(ref depth);
            return false;
        }

        var lane = (uint)StringComparer.Ordinal.GetHashCode(item.PartitionKey) % (uint)lanes.Length;
        if (!lanes[lane].Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref depth);
            return false;
        }

        return true;
    }

    public ChannelReader<WebhookWorkItem> Lane(int index) => lanes[index].Reader;

    public void MarkDone() => Interlocked.Decrement(ref depth);

    public void Complete()
    {
        completed = true;
        foreach (var lane in lanes)
        {
            lane.Writer.TryComplete();
        }
    }
}
