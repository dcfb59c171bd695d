using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Core.Tests.Stores;

public sealed class InMemoryMessageIdempotencyStoreTests
{
    private static MessageIdempotencyRecord Completed(string key, string sid) => new()
    {
        Key = key,
        IsCompleted = true,
        Outcome = MessageSendOutcome.Accepted,
        MessageSid = sid,
        Status = "queued",
        To = "+14155550100",
    };

    [Fact]
    public async Task TryReserveAsync_ConcurrentCallers_ExactlyOneWins()
    {
        var store = new InMemoryMessageIdempotencyStore(new ManualTimeProvider());

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => store.TryReserveAsync("k", TimeSpan.FromMinutes(1)).AsTask())));

        Assert.Equal(1, results.Count(r => r is null));
        Assert.All(results.Where(r => r is not null), r => Assert.False(r!.IsCompleted));
    }

    [Fact]
    public async Task TryReserveAsync_AfterComplete_ReturnsCompletedRecord()
    {
        var store = new InMemoryMessageIdempotencyStore(new ManualTimeProvider());
        Assert.Null(await store.TryReserveAsync("k", TimeSpan.FromMinutes(1)));

        await store.CompleteAsync(Completed("k", "SM1"), TimeSpan.FromHours(1));
        var existing = await store.TryReserveAsync("k", TimeSpan.FromMinutes(1));

        Assert.NotNull(existing);
        Assert.True(existing.IsCompleted);
        Assert.Equal("SM1", existing.MessageSid);
    }

    [Fact]
    public async Task TryReserveAsync_CompletedRecordExpired_ReservesAgain()
    {
        var clock = new ManualTimeProvider();
        var store = new InMemoryMessageIdempotencyStore(clock);
        await store.TryReserveAsync("k", TimeSpan.FromMinutes(1));
        await store.CompleteAsync(Completed("k", "SM1"), TimeSpan.FromHours(1));

        clock.Advance(TimeSpan.FromHours(1));

        Assert.Null(await store.GetAsync("k"));
        Assert.Null(await store.TryReserveAsync("k", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task TryReserveAsync_PendingLeaseExpired_StillReturnedSoNothingIsSentTwice()
    {
        var clock = new ManualTimeProvider();
        var store = new InMemoryMessageIdempotencyStore(clock);
        await store.TryReserveAsync("k", TimeSpan.FromMinutes(1));

        clock.Advance(TimeSpan.FromHours(2));
        var existing = await store.TryReserveAsync("k", TimeSpan.FromMinutes(1));

        Assert.NotNull(existing);
        Assert.False(existing.IsCompleted);
        Assert.True(existing.ExpiresAt < clock.GetUtcNow());
    }

    [Fact]
    public async Task ReleaseAsync_ReservedKey_CanBeReservedAgain()
    {
        var store = new InMemoryMessageIdempotencyStore(new ManualTimeProvider());
        await store.TryReserveAsync("k", TimeSpan.FromMinutes(1));

        await store.ReleaseAsync("k");

        Assert.Null(await store.TryReserveAsync("k", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task CompleteAsync_PendingRecord_Throws()
    {
        var store = new InMemoryMessageIdempotencyStore(new ManualTimeProvider());

        await Assert.ThrowsAsync<ArgumentException>(() => store.CompleteAsync(new MessageIdempotencyRecord { Key = "k" }, TimeSpan.FromHours(1)).AsTask());
    }

    [Fact]
    public async Task CompleteAsync_AfterReservation_KeepsTheReservationsCreatedAt()
    {
        var clock = new ManualTimeProvider();
        var store = new InMemoryMessageIdempotencyStore(clock);
        var reservedAt = clock.GetUtcNow();
        await store.TryReserveAsync("k", TimeSpan.FromMinutes(1));
        clock.Advance(TimeSpan.FromSeconds(5));

        await store.CompleteAsync(Completed("k", "SM1"), TimeSpan.FromHours(1));
        var stored = await store.GetAsync("k");

        Assert.NotNull(stored);
        Assert.Equal(reservedAt, stored.CreatedAt);
        Assert.Equal(reservedAt + TimeSpan.FromSeconds(5) + TimeSpan.FromHours(1), stored.ExpiresAt);
        Assert.Equal("SM1", stored.MessageSid);
        Assert.Equal("+14155550100", stored.To);
    }

    [Fact]
    public void ToString_LeavesOutTheRecipient()
    {
        var text = Completed("k", "SM1").ToString();

        Assert.Contains("SM1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("+14155550100", text, StringComparison.Ordinal);
    }
}
