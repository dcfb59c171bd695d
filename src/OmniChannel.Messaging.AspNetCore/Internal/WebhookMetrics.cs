using System.Diagnostics.Metrics;

namespace OmniChannel.Messaging.AspNetCore.Internal;

/// <summary>Counters of the webhook receiver (meter <c>OmniChannel.Messaging.AspNetCore</c>), also readable in-process.</summary>
internal sealed class WebhookMetrics
{
    public const string MeterName = "OmniChannel.Messaging.AspNetCore";

    private readonly Counter<long> accepted;
    private readonly Counter<long> duplicates;
    private readonly Counter<long> rejected;
    private readonly Counter<long> stepFailures;
    private readonly Counter<long> givenUp;
    private static readonly KeyValuePair<string, object?>[] KindTags =
    [
        new("kind", nameof(WebhookKind.InboundMessage)),
        new("kind", nameof(WebhookKind.StatusCallback)),
        new("kind", nameof(WebhookKind.ConversationEvent)),
    ];

    private long stepFailureCount;
    private long givenUpCount;
    private long processedCount;
    private long duplicateCount;

    public WebhookMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        accepted = meter.CreateCounter<long>("omnichannel.webhooks.accepted", description: "Webhooks accepted and queued.");
        duplicates = meter.CreateCounter<long>("omnichannel.webhooks.duplicates", description: "Webhooks answered 200 as repeats.");
        rejected = meter.CreateCounter<long>("omnichannel.webhooks.rejected", description: "Webhooks refused (403, 413, 415, 400, 503).");
        stepFailures = meter.CreateCounter<long>("omnichannel.webhooks.step_failures", description: "Handler or built-in step attempts that threw.");
        givenUp = meter.CreateCounter<long>("omnichannel.webhooks.given_up", description: "Handler or built-in steps abandoned after every retry.");
    }

    public long StepFailures => Interlocked.Read(ref stepFailureCount);

    public long GivenUp => Interlocked.Read(ref givenUpCount);

    public long Processed => Interlocked.Read(ref processedCount);

    public long Duplicates => Interlocked.Read(ref duplicateCount);

    public void Accepted(WebhookKind kind)
    {
        if (accepted.Enabled)
        {
            accepted.Add(1, KindTags[(int)kind]);
        }
    }

    public void Duplicate(WebhookKind kind)
    {
        Interlocked.Increment(ref duplicateCount);
        duplicates.Add(1, KindTags[(int)kind]);
    }

    public void Rejected(int status) => rejected.Add(1, new KeyValuePair<string, object?>("status", status));

    public void StepFailed()
    {
        Interlocked.Increment(ref stepFailureCount);
        stepFailures.Add(1);
    }

    public void GaveUp()
    {
        Interlocked.Increment(ref givenUpCount);
        givenUp.Add(1);
    }

    public void ProcessedOne() => Interlocked.Increment(ref processedCount);
}
