namespace OmniChannel.Messaging.Core.Tests.Compliance;

public sealed class InMemoryLastInboundStoreTests
{
    private const string Sender = "whatsapp:+14155238886";
    private const string User = "whatsapp:+447700900123";
    private static readonly DateTimeOffset T = new(2026, 5, 4, 9, 30, 0, TimeSpan.Zero);

    private readonly InMemoryLastInboundStore store = new();

    [Fact]
    public async Task GetAsync_NothingRecorded_IsNull()
    {
        Assert.Null(await store.GetAsync(Sender, User));
    }

    [Fact]
    public async Task RecordInboundAsync_OutOfOrder_KeepsLatest()
    {
        await store.RecordInboundAsync(Sender, User, T.AddHours(2));
        await store.RecordInboundAsync(Sender, User, T);

        Assert.Equal(T.AddHours(2), (await store.GetAsync(Sender, User))!.Value.LastInboundAt);
    }

    [Fact]
    public async Task RecordFreeEntryPointAsync_KeepsInboundTimeAndLatestOpening()
    {
        await store.RecordInboundAsync(Sender, User, T);
        await store.RecordFreeEntryPointAsync(Sender, User, T.AddMinutes(5));
        await store.RecordFreeEntryPointAsync(Sender, User, T.AddMinutes(1));

        Assert.Equal(new LastInboundRecord(T, T.AddMinutes(5)), await store.GetAsync(Sender, User));
    }

    [Fact]
    public async Task RecordFreeEntryPointAsync_BeforeAnyInbound_HasNoInboundTime()
    {
        await store.RecordFreeEntryPointAsync(Sender, User, T);

        Assert.Equal(new LastInboundRecord(null, T), await store.GetAsync(Sender, User));
    }

    [Fact]
    public async Task GetAsync_OtherSenderOrUser_IsSeparate()
    {
        await store.RecordInboundAsync(Sender, User, T);

        Assert.Null(await store.GetAsync("whatsapp:+14155230000", User));
        Assert.Null(await store.GetAsync(Sender, "whatsapp:+447700900999"));
    }

    [Fact]
    public async Task RecordInboundAsync_ConcurrentWriters_KeepMaximum()
    {
        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => Task.Run(async () => await store.RecordInboundAsync(Sender, User, T.AddSeconds(i)))));

        Assert.Equal(T.AddSeconds(499), (await store.GetAsync(Sender, User))!.Value.LastInboundAt);
    }

    [Fact]
    public async Task RecordInboundAsync_Canceled_ReturnsCanceledTask()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.RecordInboundAsync(Sender, User, T, cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.GetAsync(Sender, User, cts.Token));
        Assert.Null(await store.GetAsync(Sender, User));
    }
}
