using OmniChannel.Messaging.PostgreSql.Stores;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.PostgreSql.Tests.Contracts;

/// <summary>What every <see cref="IWebhookOutbox"/> must do; run against each implementation.</summary>
public abstract class WebhookOutboxContract : IAsyncLifetime
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private protected ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    protected IWebhookOutbox Outbox { get; private set; } = null!;

    protected IWebhookDedupeStore Dedupe { get; private set; } = null!;

    public async Task InitializeAsync() => (Outbox, Dedupe) = await CreateAsync(Clock);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Enqueue_ThenClaim_ReturnsTheWebhookAsStored()
    {
        var webhook = Webhook("in", "+14155550100", "key-1", ("Body", "Hi"), ("MediaUrl0", "https://a"), ("Body", "repeated"), ("Empty", ""));

        Assert.True(await Outbox.TryEnqueueAsync(webhook, Day));
        var claimed = Assert.Single(await Outbox.ClaimAsync(10, Lease));

        Assert.Equal("in", claimed.Kind);
        Assert.Equal("+14155550100", claimed.PartitionKey);
        Assert.Equal("key-1", claimed.DedupeKey);
        Assert.Equal(webhook.ReceivedAt, claimed.ReceivedAt);
        Assert.Equal(webhook.Parameters, claimed.Parameters);
        Assert.Equal(1, claimed.Attempt);
        Assert.NotEqual(0, claimed.Id);
        Assert.NotEqual(Guid.Empty, claimed.LeaseId);
    }

    [Fact]
    public async Task Enqueue_SameDedupeKeyTwice_StoresOnceAndMarksTheSharedDedupeStore()
    {
        Assert.True(await Outbox.TryEnqueueAsync(Webhook("st", "SM1", "st:AC:t:abc"), Day));
        Assert.False(await Outbox.TryEnqueueAsync(Webhook("st", "SM1", "st:AC:t:abc"), Day));

        Assert.Single(await Outbox.ClaimAsync(10, Lease));
        Assert.False(await Dedupe.TryMarkSeenAsync("st:AC:t:abc", Day));
    }

    [Fact]
    public async Task Enqueue_KeyAlreadyMarkedByTheDedupeStore_IsARepeat()
    {
        await Dedupe.TryMarkSeenAsync("in:AC:m:SM1", Day);

        Assert.False(await Outbox.TryEnqueueAsync(Webhook("in", "+1", "in:AC:m:SM1"), Day));
        Assert.Empty(await Outbox.ClaimAsync(10, Lease));
    }

    [Fact]
    public async Task Enqueue_ConcurrentCopiesOfOneDelivery_ExactlyOneStored()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () => await Outbox.TryEnqueueAsync(Webhook("st", "SM1", "st:AC:t:race"), Day))));

        Assert.Single(results, r => r);
        Assert.Single(await Outbox.ClaimAsync(100, Lease));
    }

    [Fact]
    public async Task Enqueue_WithoutDedupeKey_AlwaysStores()
    {
        Assert.True(await Outbox.TryEnqueueAsync(Webhook("cv", "CH1", null), Day));
        Assert.True(await Outbox.TryEnqueueAsync(Webhook("cv", "CH2", null), Day));

        Assert.Equal(2, (await Outbox.ClaimAsync(10, Lease)).Count);
    }

    [Fact]
    public async Task Claim_HeldWebhook_IsNotClaimedAgainUntilItsLeaseEnds()
    {
        await Outbox.TryEnqueueAsync(Webhook("in", "+1", "a"), Day);
        var first = Assert.Single(await Outbox.ClaimAsync(10, Lease));

        Assert.Empty(await Outbox.ClaimAsync(10, Lease));
        Clock.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.Empty(await Outbox.ClaimAsync(10, Lease));

        Clock.Advance(TimeSpan.FromSeconds(1));
        var again = Assert.Single(await Outbox.ClaimAsync(10, Lease));
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(2, again.Attempt);
        Assert.NotEqual(first.LeaseId, again.LeaseId);
    }

    [Fact]
    public async Task Claim_OnePartition_HandsOutOnlyItsOldestUntilThatCompletes()
    {
        await Outbox.TryEnqueueAsync(Webhook("in", "+1", "a"), Day);
        await Outbox.TryEnqueueAsync(Webhook("in", "+1", "b"), Day);
        await Outbox.TryEnqueueAsync(Webhook("in", "+2", "c"), Day);

        var first = await Outbox.ClaimAsync(10, Lease);
        Assert.Equal(["a", "c"], first.Select(w => w.DedupeKey));
        Assert.Empty(await Outbox.ClaimAsync(10, Lease));

        await Outbox.CompleteAsync([first[0]]);
        Assert.Equal(["b"], (await Outbox.ClaimAsync(10, Lease)).Select(w => w.DedupeKey));
    }

    [Fact]
    public async Task Claim_ExpiredLeaseOnAPartitionHead_StillBlocksTheYoungerWebhooks()
    {
        await Outbox.TryEnqueueAsync(Webhook("in", "+1", "a"), Day);
        await Outbox.TryEnqueueAsync(Webhook("in", "+1", "b"), Day);
        await Outbox.ClaimAsync(10, Lease);

        Clock.Advance(Lease);

        // The dead worker's webhook comes back first; the younger one waits behind it.
        Assert.Equal(["a"], (await Outbox.ClaimAsync(10, Lease)).Select(w => w.DedupeKey));
    }

    [Fact]
    public async Task Claim_BehindALongBacklogOfOneSender_AnotherSenderIsClaimedByTheNextClaim()
    {
        for (var i = 0; i < 1100; i++)
        {
            await Outbox.TryEnqueueAsync(Webhook("in", "+1busy", $"busy{i}"), Day);
        }

        await Outbox.TryEnqueueAsync(Webhook("in", "+1quiet", "quiet"), Day);

        var first = await Outbox.ClaimAsync(10, Lease);
        var second = await Outbox.ClaimAsync(10, Lease);

        Assert.Equal("busy0", first[0].DedupeKey);
        Assert.Contains(first.Concat(second), w => w.DedupeKey == "quiet");
        Assert.Single(first.Concat(second), w => w.PartitionKey == "+1busy");
    }

    [Fact]
    public async Task Claim_RespectsMaxCountAndHandsOutOldestFirst()
    {
        for (var i = 0; i < 5; i++)
        {
            await Outbox.TryEnqueueAsync(Webhook("st", $"SM{i}", $"k{i}"), Day);
        }

        Assert.Equal(["k0", "k1"], (await Outbox.ClaimAsync(2, Lease)).Select(w => w.DedupeKey));
        Assert.Equal(["k2", "k3", "k4"], (await Outbox.ClaimAsync(10, Lease)).Select(w => w.DedupeKey));
    }

    [Fact]
    public async Task Claim_ConcurrentClaimers_NeverShareAWebhook()
    {
        for (var i = 0; i < 200; i++)
        {
            await Outbox.TryEnqueueAsync(Webhook("st", $"SM{i}", $"k{i}"), Day);
        }

        var batches = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var mine = new List<long>();
            IReadOnlyList<QueuedWebhook> batch;
            while ((batch = await Outbox.ClaimAsync(3, Lease)).Count > 0)
            {
                mine.AddRange(batch.Select(w => w.Id));
            }

            return mine;
        })));

        var all = batches.SelectMany(b => b).ToList();
        Assert.Equal(200, all.Count);
        Assert.Equal(200, all.Distinct().Count());
    }

    [Fact]
    public async Task Complete_RemovesTheWebhookForGood()
    {
        await Outbox.TryEnqueueAsync(Webhook("in", "+1", "a"), Day);
        var claimed = Assert.Single(await Outbox.ClaimAsync(10, Lease));

        await Outbox.CompleteAsync([claimed]);
        Clock.Advance(Lease * 2);

        Assert.Empty(await Outbox.ClaimAsync(10, Lease));
    }

    [Fact]
    public async Task Complete_SeveralAtOnce_RemovesExactlyThose()
    {
        for (var i = 0; i < 4; i++)
        {
            await Outbox.TryEnqueueAsync(Webhook("st", $"SM{i}", $"k{i}"), Day);
        }

        var claimed = await Outbox.ClaimAsync(4, Lease);
        await Outbox.CompleteAsync([claimed[0], claimed[2]]);
        await Outbox.CompleteAsync([]);
        Clock.Advance(Lease);

        Assert.Equal(["k1", "k3"], (await Outbox.ClaimAsync(10, Lease)).Select(w => w.DedupeKey));
    }

    [Fact]
    public async Task ExtendLeases_KeepsHeldWebhooksFromBeingClaimedPastTheirFirstLease()
    {
        await Outbox.TryEnqueueAsync(Webhook("st", "SM1", "k1"), Day);
        await Outbox.TryEnqueueAsync(Webhook("st", "SM2", "k2"), Day);
        var claimed = await Outbox.ClaimAsync(10, Lease);

        Clock.Advance(Lease - TimeSpan.FromSeconds(1));
        await Outbox.ExtendLeasesAsync([claimed[0]], Lease);
        Clock.Advance(TimeSpan.FromSeconds(1));

        // Only the webhook whose lease was not extended can be taken over.
        Assert.Equal(["k2"], (await Outbox.ClaimAsync(10, Lease)).Select(w => w.DedupeKey));

        // The extended lease ends a lease after the extension, before k2's new one.
        Clock.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.Equal(["k1"], (await Outbox.ClaimAsync(10, Lease)).Select(w => w.DedupeKey));
    }

    [Fact]
    public async Task ExtendLeases_AfterTheLeasePassedToAnotherWorker_LeavesTheirLeaseAlone()
    {
        await Outbox.TryEnqueueAsync(Webhook("in", "+1", "a"), Day);
        var stale = Assert.Single(await Outbox.ClaimAsync(10, Lease));
        Clock.Advance(Lease);
        Assert.Single(await Outbox.ClaimAsync(10, TimeSpan.FromSeconds(10)));

        await Outbox.ExtendLeasesAsync([stale], Lease);
        Clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Single(await Outbox.ClaimAsync(10, Lease));
    }

    [Fact]
    public async Task Abandon_MakesTheWebhookClaimableAtOnce()
    {
        await Outbox.TryEnqueueAsync(Webhook("in", "+1", "a"), Day);
        var claimed = Assert.Single(await Outbox.ClaimAsync(10, Lease));

        await Outbox.AbandonAsync(claimed);

        Assert.Equal(claimed.Id, Assert.Single(await Outbox.ClaimAsync(10, Lease)).Id);
    }

    [Fact]
    public async Task Abandon_AfterTheLeasePassedToAnotherWorker_LeavesTheirLeaseAlone()
    {
        await Outbox.TryEnqueueAsync(Webhook("in", "+1", "a"), Day);
        var stale = Assert.Single(await Outbox.ClaimAsync(10, Lease));
        Clock.Advance(Lease);
        Assert.Single(await Outbox.ClaimAsync(10, Lease));

        await Outbox.AbandonAsync(stale);

        Assert.Empty(await Outbox.ClaimAsync(10, Lease));
    }

    [Fact]
    public async Task Arguments_AreCheckedBeforeTheStoreIsTouched()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await Outbox.TryEnqueueAsync(null!, Day));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Outbox.TryEnqueueAsync(Webhook("", "+1", "a"), Day));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Outbox.ClaimAsync(0, Lease));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Outbox.ClaimAsync(1, TimeSpan.Zero));
    }

    protected abstract Task<(IWebhookOutbox Outbox, IWebhookDedupeStore Dedupe)> CreateAsync(TimeProvider clock);

    private QueuedWebhook Webhook(string kind, string partition, string? key, params (string Name, string Value)[] parameters) => new()
    {
        Kind = kind,
        PartitionKey = partition,
        DedupeKey = key,
        ReceivedAt = Clock.GetUtcNow(),
        Parameters = parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)).ToArray(),
    };
}

public sealed class InMemoryWebhookOutboxContractTests : WebhookOutboxContract
{
    protected override Task<(IWebhookOutbox Outbox, IWebhookDedupeStore Dedupe)> CreateAsync(TimeProvider clock)
    {
        var dedupe = new InMemoryWebhookDedupeStore(clock);
        return Task.FromResult<(IWebhookOutbox, IWebhookDedupeStore)>((new InMemoryWebhookOutbox(dedupe, clock), dedupe));
    }
}

public sealed class PostgreSqlWebhookOutboxContractTests : WebhookOutboxContract
{
    private readonly PostgreSqlFixture fixture = PostgreSqlFixture.Create();

    public override async Task DisposeAsync() => await fixture.DisposeAsync();

    protected override Task<(IWebhookOutbox Outbox, IWebhookDedupeStore Dedupe)> CreateAsync(TimeProvider clock)
    {
        var database = fixture.Database(clock);
        return Task.FromResult<(IWebhookOutbox, IWebhookDedupeStore)>((new PostgreSqlWebhookOutbox(database), new PostgreSqlWebhookDedupeStore(database)));
    }
}
