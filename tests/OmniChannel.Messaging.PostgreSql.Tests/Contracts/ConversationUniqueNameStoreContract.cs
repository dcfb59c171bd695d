using OmniChannel.Messaging.PostgreSql.Stores;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.PostgreSql.Tests.Contracts;

/// <summary>What every <see cref="IConversationUniqueNameStore"/> must do; run against each implementation.</summary>
public abstract class ConversationUniqueNameStoreContract : IAsyncLifetime
{
    private protected ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    protected IConversationUniqueNameStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await CreateAsync(Clock);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Set_Get_Remove_RoundTrip()
    {
        await Store.SetAsync("AC1/default/case-1", "CH0000000000000000000000000000000a", TimeSpan.FromMinutes(10));

        Assert.Equal("CH0000000000000000000000000000000a", await Store.GetAsync("AC1/default/case-1"));
        Assert.Null(await Store.GetAsync("AC1/default/case-2"));
        await Store.RemoveAsync("AC1/default/case-1");
        Assert.Null(await Store.GetAsync("AC1/default/case-1"));
    }

    [Fact]
    public async Task Get_AfterTheTimeToLive_ReturnsNull()
    {
        await Store.SetAsync("k", "CH0000000000000000000000000000000b", TimeSpan.FromMinutes(10));

        Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.NotNull(await Store.GetAsync("k"));
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await Store.GetAsync("k"));
    }

    [Fact]
    public async Task Set_Again_ReplacesTheSidAndTheExpiry()
    {
        await Store.SetAsync("k", "CH0000000000000000000000000000000c", TimeSpan.FromMinutes(1));
        await Store.SetAsync("k", "CH0000000000000000000000000000000d", TimeSpan.FromMinutes(10));

        Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal("CH0000000000000000000000000000000d", await Store.GetAsync("k"));
    }

    protected abstract Task<IConversationUniqueNameStore> CreateAsync(TimeProvider clock);
}

public sealed class InMemoryConversationUniqueNameStoreContractTests : ConversationUniqueNameStoreContract
{
    protected override Task<IConversationUniqueNameStore> CreateAsync(TimeProvider clock) => Task.FromResult<IConversationUniqueNameStore>(new InMemoryConversationUniqueNameStore(clock));
}

public sealed class PostgreSqlConversationUniqueNameStoreContractTests : ConversationUniqueNameStoreContract
{
    private readonly PostgreSqlFixture fixture = PostgreSqlFixture.Create();

    public override async Task DisposeAsync() => await fixture.DisposeAsync();

    protected override Task<IConversationUniqueNameStore> CreateAsync(TimeProvider clock) => Task.FromResult<IConversationUniqueNameStore>(new PostgreSqlConversationUniqueNameStore(fixture.Database(clock)));
}
