using OmniChannel.Messaging.Conversations.Internal;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Conversations.Tests.Internal;

public sealed class ExpiringCacheTests
{
    [Fact]
    public void Set_PastTheSizeLimit_DropsTheEntriesClosestToExpiryFirst()
    {
        var time = new ManualTimeProvider();
        var cache = new ExpiringCache<string>(time, TimeSpan.FromMinutes(10), capacity: 100);

        for (var i = 0; i < 1000; i++)
        {
            cache.Set($"k{i}", $"v{i}", $"tag{i % 7}");
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.InRange(cache.Count, 90, 100);
        Assert.True(cache.TryGet("k999", out _));
        Assert.False(cache.TryGet("k0", out _));

        // The tag index shrank with the entries: removing one tag removes only what is left of it.
        var removed = cache.RemoveTagged("tag3");
        Assert.All(removed, r => Assert.Equal(3, int.Parse(r.Key[1..], System.Globalization.CultureInfo.InvariantCulture) % 7));
        Assert.InRange(removed.Count, 1, 15);
    }

    [Fact]
    public void Set_AfterTheExpiryPeriod_SweepsExpiredEntriesNeverReadAgain()
    {
        var time = new ManualTimeProvider();
        var cache = new ExpiringCache<string>(time, TimeSpan.FromMinutes(10), capacity: 10_000);
        for (var i = 0; i < 500; i++)
        {
            cache.Set($"old{i}", "v", "CHold");
        }

        time.Advance(TimeSpan.FromMinutes(11));
        cache.Set("new", "v", "CHnew");

        Assert.Equal(1, cache.Count);
        Assert.Empty(cache.RemoveTagged("CHold"));
        Assert.Single(cache.RemoveTagged("CHnew"));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void RemoveTagged_RemovesOnlyThatTagsEntries()
    {
        var cache = new ExpiringCache<string>(new ManualTimeProvider(), TimeSpan.FromMinutes(10), capacity: 100);
        cache.Set("a|1", "p1", "CHa", "MB1");
        cache.Set("a|2", "p2", "CHa", "MB2");
        cache.Set("b|3", "p3", "CHb", "MB3");

        Assert.Single(cache.RemoveTagged("MB2"));
        Assert.Equal(2, cache.Count);
        Assert.Equal(["a|1"], cache.RemoveTagged("CHa").Select(r => r.Key));
        Assert.True(cache.TryGet("b|3", out var left));
        Assert.Equal("p3", left);
    }

    [Fact]
    public async Task ConversationsClient_CacheSizeLimit_BoundsTheUniqueNameCache()
    {
        await using var fixture = await ConversationsFixture.StartAsync(o => o.CacheSizeLimit = 20);
        var client = Assert.IsType<ConversationsClient>(fixture.Client);

        for (var i = 0; i < 60; i++)
        {
            await client.GetOrCreateAsync($"bounded-{i}");
        }

        Assert.InRange(client.CachedConversationCount, 1, 20);
    }
}
