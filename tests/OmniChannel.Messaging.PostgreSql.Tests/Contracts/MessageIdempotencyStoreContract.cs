using OmniChannel.Messaging.PostgreSql.Stores;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.PostgreSql.Tests.Contracts;

/// <summary>What every <see cref="IMessageIdempotencyStore"/> must do; run against each implementation.</summary>
public abstract class MessageIdempotencyStoreContract : IAsyncLifetime
{
    private protected ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    protected IMessageIdempotencyStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await CreateAsync(Clock);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TryReserve_FirstCallerHoldsTheKey_SecondSeesThePendingReservation()
    {
        Assert.Null(await Store.TryReserveAsync("AC1/sms/order-1", TimeSpan.FromMinutes(1)));

        var second = await Store.TryReserveAsync("AC1/sms/order-1", TimeSpan.FromMinutes(1));

        Assert.NotNull(second);
        Assert.False(second.IsCompleted);
        Assert.Equal(Clock.GetUtcNow(), second.CreatedAt);
    }

    [Fact]
    public async Task Complete_ThenReserveAgain_ReturnsTheFirstResult()
    {
        await Store.TryReserveAsync("k", TimeSpan.FromMinutes(1));
        await Store.CompleteAsync(Completed("k"), TimeSpan.FromHours(24));

        var again = await Store.TryReserveAsync("k", TimeSpan.FromMinutes(1));

        Assert.NotNull(again);
        Assert.True(again.IsCompleted);
        Assert.Equal(MessageSendOutcome.Accepted, again.Outcome);
        Assert.Equal("SM0123456789abcdef0123456789abcdef", again.MessageSid);
        Assert.Equal("+14155550100", again.To);
        Assert.Equal("queued", again.Status);
        Assert.Equal(again.MessageSid, (await Store.GetAsync("k"))?.MessageSid);
    }

    [Fact]
    public async Task TryReserve_TwentyConcurrentCallers_ExactlyOneHoldsTheKey()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () => await Store.TryReserveAsync("race", TimeSpan.FromMinutes(1)))));

        Assert.Single(results, r => r is null);
    }

    [Fact]
    public async Task Release_LetsTheKeyBeReservedAgain()
    {
        await Store.TryReserveAsync("k", TimeSpan.FromMinutes(1));
        await Store.ReleaseAsync("k");

        Assert.Null(await Store.GetAsync("k"));
        Assert.Null(await Store.TryReserveAsync("k", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task CompletedRecord_ExpiresAfterItsTimeToLive()
    {
        await Store.TryReserveAsync("k", TimeSpan.FromMinutes(1));
        await Store.CompleteAsync(Completed("k"), TimeSpan.FromHours(1));

        Clock.Advance(TimeSpan.FromHours(1));

        Assert.Null(await Store.GetAsync("k"));
        Assert.Null(await Store.TryReserveAsync("k", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task PendingReservation_PastItsLease_StillBlocksASecondSend()
    {
        await Store.TryReserveAsync("k", TimeSpan.FromMinutes(1));

        Clock.Advance(TimeSpan.FromHours(2));
        var again = await Store.TryReserveAsync("k", TimeSpan.FromMinutes(1));

        Assert.NotNull(again);
        Assert.False(again.IsCompleted);
    }

    [Fact]
    public async Task Complete_KeepsTheFingerprintAndTheWholeFirstResult()
    {
        await Store.TryReserveAsync("full", TimeSpan.FromMinutes(1));
        await Store.CompleteAsync(
            new MessageIdempotencyRecord
            {
                Key = "full",
                IsCompleted = true,
                CreatedAt = Clock.GetUtcNow(),
                Outcome = MessageSendOutcome.MaybeSent,
                To = "+14155550100",
                RequestFingerprint = "v1:ABCDEF",
                Segments = 3,
                Price = -0.0075m,
                PriceUnit = "USD",
                ErrorCode = 20500,
                ErrorMessage = "Internal Server Error",
                HttpStatus = 503,
            },
            TimeSpan.FromHours(1));

        var stored = await Store.GetAsync("full");

        Assert.NotNull(stored);
        Assert.Equal(MessageSendOutcome.MaybeSent, stored.Outcome);
        Assert.Equal("v1:ABCDEF", stored.RequestFingerprint);
        Assert.Equal(3, stored.Segments);
        Assert.Equal(-0.0075m, stored.Price);
        Assert.Equal("USD", stored.PriceUnit);
        Assert.Equal(20500, stored.ErrorCode);
        Assert.Equal("Internal Server Error", stored.ErrorMessage);
        Assert.Equal(503, stored.HttpStatus);
    }

    [Fact]
    public async Task Complete_WithAPendingRecord_IsRejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CompleteAsync(new MessageIdempotencyRecord { Key = "k" }, TimeSpan.FromHours(1)).AsTask());
    }

    protected abstract Task<IMessageIdempotencyStore> CreateAsync(TimeProvider clock);

    private MessageIdempotencyRecord Completed(string key) => new()
    {
        Key = key,
        IsCompleted = true,
        CreatedAt = Clock.GetUtcNow(),
        Outcome = MessageSendOutcome.Accepted,
        To = "+14155550100",
        MessageSid = "SM0123456789abcdef0123456789abcdef",
        Status = "queued",
    };
}

public sealed class InMemoryMessageIdempotencyStoreContractTests : MessageIdempotencyStoreContract
{
    [Fact]
    public async Task Writes_AfterTheSweepInterval_RemoveExpiredRecordsNeverTouchedAgain()
    {
        var store = new InMemoryMessageIdempotencyStore(Clock);
        for (var i = 0; i < 1_000; i++)
        {
            await store.TryReserveAsync($"k{i}", TimeSpan.FromMinutes(1));
            await store.CompleteAsync(new MessageIdempotencyRecord { Key = $"k{i}", IsCompleted = true, Outcome = MessageSendOutcome.Accepted }, TimeSpan.FromMinutes(5));
        }

        await store.TryReserveAsync("abandoned", TimeSpan.FromMinutes(1));
        Assert.Equal(1_001, store.Count);

        Clock.Advance(TimeSpan.FromMinutes(6));
        await store.TryReserveAsync("fresh", TimeSpan.FromMinutes(1));

        // The completed records expired and were swept; the abandoned reservation is kept (its owner may have sent).
        Assert.Equal(2, store.Count);
        Assert.NotNull(await store.GetAsync("abandoned"));

        Clock.Advance(store.AbandonedReservationRetention);
        await store.TryReserveAsync("later", TimeSpan.FromMinutes(1));

        // "fresh" and "later" remain; the reservation abandoned a day ago is dropped.
        Assert.Equal(2, store.Count);
        Assert.Null(await store.GetAsync("abandoned"));
    }

    [Fact]
    public async Task Writes_WithinTheSweepInterval_DoNotScanEveryTime()
    {
        var store = new InMemoryMessageIdempotencyStore(Clock) { SweepInterval = TimeSpan.FromMinutes(10) };
        await store.TryReserveAsync("first", TimeSpan.FromMinutes(1));
        await store.CompleteAsync(new MessageIdempotencyRecord { Key = "first", IsCompleted = true }, TimeSpan.FromMinutes(1));

        Clock.Advance(TimeSpan.FromMinutes(2));
        await store.TryReserveAsync("second", TimeSpan.FromMinutes(1));

        // "first" expired but is still held: no sweep before the interval ends.
        Assert.Equal(2, store.Count);

        Clock.Advance(TimeSpan.FromMinutes(9));
        await store.TryReserveAsync("third", TimeSpan.FromMinutes(1));

        Assert.Equal(2, store.Count);
    }

    protected override Task<IMessageIdempotencyStore> CreateAsync(TimeProvider clock) => Task.FromResult<IMessageIdempotencyStore>(new InMemoryMessageIdempotencyStore(clock));
}

public sealed class PostgreSqlMessageIdempotencyStoreContractTests : MessageIdempotencyStoreContract
{
    private readonly PostgreSqlFixture fixture = PostgreSqlFixture.Create();

    public override async Task DisposeAsync() => await fixture.DisposeAsync();

    protected override Task<IMessageIdempotencyStore> CreateAsync(TimeProvider clock) => Task.FromResult<IMessageIdempotencyStore>(new PostgreSqlMessageIdempotencyStore(fixture.Database(clock)));
}
