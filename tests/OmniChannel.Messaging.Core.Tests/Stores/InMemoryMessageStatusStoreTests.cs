namespace OmniChannel.Messaging.Core.Tests.Stores;

public sealed class InMemoryMessageStatusStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ApplyAsync_EventsInAnyOrder_FoldsToTheReducersWinner()
    {
        MessageStatusEvent[] events =
        [
            new(MessageStatus.Queued, T0),
            new(MessageStatus.Sent, T0.AddSeconds(1)),
            new(MessageStatus.Delivered, T0.AddSeconds(2)),
        ];
        foreach (var order in new[] { new[] { 0, 1, 2 }, [2, 1, 0], [1, 2, 0], [2, 0, 1] })
        {
            var store = new InMemoryMessageStatusStore();
            foreach (var i in order)
            {
                await store.ApplyAsync("SM1", events[i]);
            }

            Assert.Equal(events[2], await store.GetAsync("SM1"));
        }
    }

    [Fact]
    public async Task ApplyAsync_ReturnsStateAndRaisesStatusChangedOnlyOnChange()
    {
        var store = new InMemoryMessageStatusStore();
        var changes = new List<(string, MessageStatus)>();
        store.StatusChanged += (sid, state) => changes.Add((sid, state.Status));

        var afterSent = await store.ApplyAsync("SM1", new(MessageStatus.Sent, T0));
        var afterQueued = await store.ApplyAsync("SM1", new(MessageStatus.Queued, T0.AddSeconds(1)));
        var afterFailed = await store.ApplyAsync("SM1", new(MessageStatus.Failed, T0.AddSeconds(2), 30008));

        Assert.Equal(MessageStatus.Sent, afterSent.Status);
        Assert.Equal(MessageStatus.Sent, afterQueued.Status);
        Assert.Equal(30008, afterFailed.ErrorCode);
        Assert.Equal([("SM1", MessageStatus.Sent), ("SM1", MessageStatus.Failed)], changes);
    }

    [Fact]
    public async Task GetAsync_UnknownMessage_ReturnsNull()
    {
        Assert.Null(await new InMemoryMessageStatusStore().GetAsync("SM404"));
    }

    [Fact]
    public async Task ApplyAsync_ConcurrentReports_ConvergeToTheSameWinner()
    {
        var store = new InMemoryMessageStatusStore();
        var events = Enumerable.Range(0, 1000)
            .Select(i => new MessageStatusEvent(i % 3 == 0 ? MessageStatus.Sent : i % 3 == 1 ? MessageStatus.Delivered : MessageStatus.Undelivered, T0.AddSeconds(i % 50), i % 3 == 2 ? 30003 : null))
            .ToArray();

        await Parallel.ForEachAsync(events, async (e, ct) => await store.ApplyAsync("SM1", e, ct));

        Assert.Equal(MessageStatusReducer.Reduce(events), await store.GetAsync("SM1"));
    }
}
