using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Core.Tests.Stores;

public sealed class InMemoryWebhookDedupeStoreTests
{
    [Fact]
    public async Task TryMarkSeenAsync_SameKeyTwice_FirstWinsRepeatRefused()
    {
        var store = new InMemoryWebhookDedupeStore(new ManualTimeProvider());

        Assert.True(await store.TryMarkSeenAsync("k", TimeSpan.FromMinutes(1)));
        Assert.False(await store.TryMarkSeenAsync("k", TimeSpan.FromMinutes(1)));
        Assert.True(await store.TryMarkSeenAsync("other", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task TryMarkSeenAsync_AfterTimeToLive_KeyIsNewAgain()
    {
        var time = new ManualTimeProvider();
        var store = new InMemoryWebhookDedupeStore(time);
        await store.TryMarkSeenAsync("k", TimeSpan.FromMinutes(1));

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(await store.TryMarkSeenAsync("k", TimeSpan.FromMinutes(1)));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await store.TryMarkSeenAsync("k", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task ReleaseAsync_MarkedKey_NextCallWins()
    {
        var store = new InMemoryWebhookDedupeStore(new ManualTimeProvider());
        await store.TryMarkSeenAsync("k", TimeSpan.FromMinutes(1));

        await store.ReleaseAsync("k");

        Assert.True(await store.TryMarkSeenAsync("k", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task TryMarkSeenAsync_ConcurrentCallers_ExactlyOneWinsPerKey()
    {
        var store = new InMemoryWebhookDedupeStore(new ManualTimeProvider());
        var wins = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, 4000), async (i, ct) =>
        {
            if (await store.TryMarkSeenAsync("key-" + (i % 100), TimeSpan.FromMinutes(1), ct))
            {
                Interlocked.Increment(ref wins);
            }
        });

        Assert.Equal(100, wins);
    }

    [Fact]
    public async Task TryMarkSeenAsync_ManyExpiredKeys_SweptSoMemoryStaysBounded()
    {
        var time = new ManualTimeProvider();
        var store = new InMemoryWebhookDedupeStore(time);
        for (var i = 0; i < 3000; i++)
        {
            await store.TryMarkSeenAsync("old-" + i, TimeSpan.FromSeconds(1));
        }

        time.Advance(TimeSpan.FromSeconds(2));
        for (var i = 0; i < 20_000; i++)
        {
            await store.TryMarkSeenAsync("new-" + i, TimeSpan.FromSeconds(1));
        }

        Assert.Equal(20_000, store.Count);
    }
}
