using OmniChannel.Messaging.PostgreSql.Stores;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.PostgreSql.Tests.Contracts;

/// <summary>What every <see cref="IWebhookDedupeStore"/> must do; run against each implementation.</summary>
public abstract class WebhookDedupeStoreContract : IAsyncLifetime
{
    private protected ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    protected IWebhookDedupeStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await CreateAsync(Clock);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TryMarkSeen_FirstWins_RepeatIsRecognised()
    {
        Assert.True(await Store.TryMarkSeenAsync("token:abc", TimeSpan.FromHours(1)));
        Assert.False(await Store.TryMarkSeenAsync("token:abc", TimeSpan.FromHours(1)));
        Assert.True(await Store.TryMarkSeenAsync("token:abd", TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task TryMarkSeen_ConcurrentDeliveries_ExactlyOneWins()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () => await Store.TryMarkSeenAsync("SM1:delivered", TimeSpan.FromHours(1)))));

        Assert.Single(results, r => r);
    }

    [Fact]
    public async Task TryMarkSeen_AfterTheTimeToLive_WinsAgain()
    {
        await Store.TryMarkSeenAsync("k", TimeSpan.FromMinutes(10));

        Clock.Advance(TimeSpan.FromMinutes(10));

        Assert.True(await Store.TryMarkSeenAsync("k", TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public async Task Release_LetsTheNextDeliveryWin()
    {
        await Store.TryMarkSeenAsync("k", TimeSpan.FromHours(1));
        await Store.ReleaseAsync("k");

        Assert.True(await Store.TryMarkSeenAsync("k", TimeSpan.FromHours(1)));
    }

    protected abstract Task<IWebhookDedupeStore> CreateAsync(TimeProvider clock);
}

public sealed class InMemoryWebhookDedupeStoreContractTests : WebhookDedupeStoreContract
{
    protected override Task<IWebhookDedupeStore> CreateAsync(TimeProvider clock) => Task.FromResult<IWebhookDedupeStore>(new InMemoryWebhookDedupeStore(clock));
}

public sealed class PostgreSqlWebhookDedupeStoreContractTests : WebhookDedupeStoreContract
{
    private readonly PostgreSqlFixture fixture = PostgreSqlFixture.Create();

    public override async Task DisposeAsync() => await fixture.DisposeAsync();

    protected override Task<IWebhookDedupeStore> CreateAsync(TimeProvider clock) => Task.FromResult<IWebhookDedupeStore>(new PostgreSqlWebhookDedupeStore(fixture.Database(clock)));
}

/// <summary>What every <see cref="IMessageStatusStore"/> must do; run against each implementation.</summary>
public abstract class MessageStatusStoreContract : IAsyncLifetime
{
    private const string Sid = "SM0123456789abcdef0123456789abcdef";
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    protected IMessageStatusStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await CreateAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Apply_OutOfOrderAndDuplicated_FoldsLikeTheReducer()
    {
        MessageStatusEvent[] events =
        [
            new(MessageStatus.Delivered, T0.AddSeconds(3)),
            new(MessageStatus.Queued, T0),
            new(MessageStatus.Sent, T0.AddSeconds(1)),
            new(MessageStatus.Delivered, T0.AddSeconds(3)),
            new(MessageStatus.Sending, T0.AddMilliseconds(500)),
        ];

        foreach (var e in events)
        {
            await Store.ApplyAsync(Sid, e);
        }

        Assert.Equal(MessageStatusReducer.Reduce(events), await Store.GetAsync(Sid));
        Assert.Equal(MessageStatus.Delivered, (await Store.GetAsync(Sid))?.Status);
    }

    [Fact]
    public async Task Apply_FailureKeepsItsErrorCode_AndUnknownMessageIsNull()
    {
        await Store.ApplyAsync(Sid, new MessageStatusEvent(MessageStatus.Sent, T0));
        var folded = await Store.ApplyAsync(Sid, new MessageStatusEvent(MessageStatus.Undelivered, T0.AddSeconds(2), 30003));

        Assert.Equal(MessageStatus.Undelivered, folded.Status);
        Assert.Equal(30003, (await Store.GetAsync(Sid))?.ErrorCode);
        Assert.Null(await Store.GetAsync("SM0000000000000000000000000000dead"));
    }

    [Fact]
    public async Task Apply_ConcurrentEventsForOneMessage_EndInTheReducersAnswer()
    {
        var events = Enumerable.Range(0, 12).Select(i => new MessageStatusEvent(
            (i % 4) switch { 0 => MessageStatus.Queued, 1 => MessageStatus.Sent, 2 => MessageStatus.Delivered, _ => MessageStatus.Read },
            T0.AddSeconds(i))).ToArray();

        await Task.WhenAll(events.Select(e => Task.Run(async () => await Store.ApplyAsync(Sid, e))));

        Assert.Equal(MessageStatusReducer.Reduce(events), await Store.GetAsync(Sid));
    }

    protected abstract Task<IMessageStatusStore> CreateAsync();
}

public sealed class InMemoryMessageStatusStoreContractTests : MessageStatusStoreContract
{
    protected override Task<IMessageStatusStore> CreateAsync() => Task.FromResult<IMessageStatusStore>(new InMemoryMessageStatusStore());
}

public sealed class PostgreSqlMessageStatusStoreContractTests : MessageStatusStoreContract
{
    private readonly PostgreSqlFixture fixture = PostgreSqlFixture.Create();

    public override async Task DisposeAsync() => await fixture.DisposeAsync();

    protected override Task<IMessageStatusStore> CreateAsync() => Task.FromResult<IMessageStatusStore>(new PostgreSqlMessageStatusStore(fixture.Database()));
}
