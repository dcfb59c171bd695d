using OmniChannel.Messaging.PostgreSql.Stores;

namespace OmniChannel.Messaging.PostgreSql.Tests.Contracts;

/// <summary>What every <see cref="ILastInboundStore"/> must do; run against each implementation.</summary>
public abstract class LastInboundStoreContract : IAsyncLifetime
{
    private const string Sender = "whatsapp:+14155238886";
    private const string User = "whatsapp:+447700900123";
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    protected ILastInboundStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await CreateAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Get_Unknown_ReturnsNull()
    {
        Assert.Null(await Store.GetAsync(Sender, User));
    }

    [Fact]
    public async Task RecordInbound_KeepsTheLatestTimeWhateverTheOrder()
    {
        await Store.RecordInboundAsync(Sender, User, T0.AddMinutes(5));
        await Store.RecordInboundAsync(Sender, User, T0);

        var record = await Store.GetAsync(Sender, User);

        Assert.Equal(T0.AddMinutes(5), record?.LastInboundAt);
        Assert.Null(record?.FreeEntryPointOpenedAt);
    }

    [Fact]
    public async Task RecordWindowClosed_ClosesUntilTheUserWritesAgain()
    {
        await Store.RecordInboundAsync(Sender, User, T0);
        await Store.RecordWindowClosedAsync(Sender, User, T0);

        var closed = await Store.GetAsync(Sender, User);
        Assert.Equal(T0, closed?.WindowClosedThrough);
        Assert.True(closed?.IsClosedByTwilio);

        await Store.RecordInboundAsync(Sender, User, T0.AddMinutes(1));

        var reopened = await Store.GetAsync(Sender, User);
        Assert.False(reopened?.IsClosedByTwilio);
        Assert.Equal(T0.AddMinutes(1), reopened?.LastInboundAt);
    }

    [Fact]
    public async Task RecordWindowClosed_WithNoInboundYet_KeepsTheLaterMarkWhateverTheOrder()
    {
        await Store.RecordWindowClosedAsync(Sender, User, T0.AddMinutes(5));
        await Store.RecordWindowClosedAsync(Sender, User, DateTimeOffset.UnixEpoch);

        var record = await Store.GetAsync(Sender, User);

        Assert.Equal(T0.AddMinutes(5), record?.WindowClosedThrough);
        Assert.Null(record?.LastInboundAt);
        Assert.True(record?.IsClosedByTwilio);
    }

    [Fact]
    public async Task FreeEntryPoint_IsKeptBesideTheLastInbound()
    {
        await Store.RecordFreeEntryPointAsync(Sender, User, T0);
        await Store.RecordInboundAsync(Sender, User, T0.AddHours(1));
        await Store.RecordFreeEntryPointAsync(Sender, User, T0.AddMinutes(-1));

        var record = await Store.GetAsync(Sender, User);

        Assert.Equal(T0.AddHours(1), record?.LastInboundAt);
        Assert.Equal(T0, record?.FreeEntryPointOpenedAt);
        Assert.Null(await Store.GetAsync(Sender, "whatsapp:+447700900999"));
    }

    [Fact]
    public async Task RecordInbound_Concurrent_TheLatestWins()
    {
        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Task.Run(async () => await Store.RecordInboundAsync(Sender, User, T0.AddSeconds(i)))));

        Assert.Equal(T0.AddSeconds(29), (await Store.GetAsync(Sender, User))?.LastInboundAt);
    }

    protected abstract Task<ILastInboundStore> CreateAsync();
}

public sealed class InMemoryLastInboundStoreContractTests : LastInboundStoreContract
{
    protected override Task<ILastInboundStore> CreateAsync() => Task.FromResult<ILastInboundStore>(new InMemoryLastInboundStore());
}

public sealed class PostgreSqlLastInboundStoreContractTests : LastInboundStoreContract
{
    private readonly PostgreSqlFixture fixture = PostgreSqlFixture.Create();

    public override async Task DisposeAsync() => await fixture.DisposeAsync();

    protected override Task<ILastInboundStore> CreateAsync() => Task.FromResult<ILastInboundStore>(new PostgreSqlLastInboundStore(fixture.Database()));
}
