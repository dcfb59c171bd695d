using System.Diagnostics;

namespace OmniChannel.Messaging.Sms.Tests;

/// <summary>
/// The throttling property of bulk sends under a client-side limit. Throughput against the limit is measured by the
/// bulk-send benchmark (docs/benchmarks.md), not asserted here: on a shared CI machine the floor depends on free CPU.
/// </summary>
[Collection(nameof(SmsBulkSendTests))]
[CollectionDefinition(nameof(SmsBulkSendTests), DisableParallelization = true)]
public sealed class SmsBulkSendTests
{
    [Fact]
    public async Task SendManyAsync_UnderEmulatorRateLimit_AllAcceptedWithUnderOnePercent429s()
    {
        const int Limit = 50;
        const int Count = 150;
        await using var h = await SmsHarness.StartAsync(
            o => o.MaxConcurrency = 16,
            transport: o =>
            {
                o.RateLimit.Enabled = true;
                o.RateLimit.PermitsPerSecond = 45;
                o.CircuitBreaker.Enabled = false;
            },
            emulatorOptions: new Testing.TwilioEmulatorOptions { RequestsPerSecond = Limit });
        var recipients = Enumerable.Range(0, Count).Select(i => $"+1415555{i + 3000:D4}").ToArray();

        var stopwatch = Stopwatch.StartNew();
        var results = await h.Client.SendManyAsync(recipients, "Sale today");
        stopwatch.Stop();

        Assert.All(results, r => Assert.Equal(MessageSendOutcome.Accepted, r.Outcome));
        var attempts = h.MessagePosts.Count;
        Assert.True(attempts - Count <= Count / 100, $"{attempts - Count} of {attempts} attempts were throttled (429)");
        var throughput = Count / stopwatch.Elapsed.TotalSeconds;
        Assert.True(throughput <= Limit * 1.05, $"Throughput {throughput:F1}/s exceeds the {Limit}/s limit");
    }
}
