using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Core.Tests.Stores;

public sealed class InMemoryConversationUniqueNameStoreTests
{
    private const string Sid = "CH00000000000000000000000000000001";

    [Fact]
    public async Task GetAsync_WithinTheTimeToLive_ReturnsTheSidThenNullOnceExpired()
    {
        var clock = new ManualTimeProvider();
        var store = new InMemoryConversationUniqueNameStore(clock);
        await store.SetAsync("acct/default/sms:+14155550100", Sid, TimeSpan.FromMinutes(10));

        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(Sid, await store.GetAsync("acct/default/sms:+14155550100"));

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await store.GetAsync("acct/default/sms:+14155550100"));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task SetAsync_AfterTheSweepInterval_SweepsExpiredEntriesNeverRead()
    {
        var clock = new ManualTimeProvider();
        var store = new InMemoryConversationUniqueNameStore(clock);
        for (var i = 0; i < 1_000; i++)
        {
            await store.SetAsync($"acct/default/sms:+1415555{i:D4}", Sid, TimeSpan.FromMinutes(10));
        }

        Assert.Equal(1_000, store.Count);

        // Past the entries' lifetime: the next write sweeps them out, although none of them was read again.
        clock.Advance(TimeSpan.FromMinutes(10));
        await store.SetAsync("acct/default/sms:+14155559999", Sid, TimeSpan.FromMinutes(10));

        Assert.Equal(1, store.Count);
        Assert.Equal(Sid, await store.GetAsync("acct/default/sms:+14155559999"));
    }

    [Fact]
    public async Task SetAsync_BeforeTheSweepIsDue_KeepsLiveEntriesAndSweepsAtMostOncePerInterval()
    {
        var clock = new ManualTimeProvider();
        var store = new InMemoryConversationUniqueNameStore(clock) { SweepInterval = TimeSpan.FromMinutes(5) };
        await store.SetAsync("short", Sid, TimeSpan.FromMinutes(1));
        await store.SetAsync("long", Sid, TimeSpan.FromHours(1));

        // "short" expired, but the sweep ran on the first write and is not due again for 5 minutes.
        clock.Advance(TimeSpan.FromMinutes(2));
        await store.SetAsync("other", Sid, TimeSpan.FromHours(1));
        Assert.Equal(3, store.Count);

        clock.Advance(TimeSpan.FromMinutes(3));
        await store.SetAsync("other", Sid, TimeSpan.FromHours(1));

        Assert.Equal(2, store.Count);
        Assert.Equal(Sid, await store.GetAsync("long"));
        Assert.Null(await store.GetAsync("short"));
    }

    [Fact]
    public async Task RemoveAsync_RemovesTheEntry()
    {
        var store = new InMemoryConversationUniqueNameStore(new ManualTimeProvider());
        await store.SetAsync("k", Sid, TimeSpan.FromMinutes(10));

        await store.RemoveAsync("k");

        Assert.Null(await store.GetAsync("k"));
        Assert.Equal(0, store.Count);
    }
}
