using OmniChannel.Messaging.PostgreSql.Stores;

namespace OmniChannel.Messaging.PostgreSql.Tests.Contracts;

/// <summary>What every <see cref="ISuppressionList"/> must do; run against each implementation.</summary>
public abstract class SuppressionListContract : IAsyncLifetime
{
    private const string Recipient = "+14155550100";

    protected ISuppressionList List { get; private set; } = null!;

    public async Task InitializeAsync() => List = await CreateAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Suppress_ThenIsSuppressed_InTheSameScopeOnly()
    {
        var sender = SuppressionScope.Sender("+14155551234");

        Assert.True(await List.SuppressAsync(MessagingChannel.Sms, sender, Recipient));

        Assert.True(await List.IsSuppressedAsync(MessagingChannel.Sms, sender, Recipient));
        Assert.False(await List.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender("+14155559999"), Recipient));
        Assert.False(await List.IsSuppressedAsync(MessagingChannel.WhatsApp, sender, Recipient));
        Assert.False(await List.IsSuppressedAsync(MessagingChannel.Sms, sender, "+14155550101"));
    }

    [Fact]
    public async Task SuppressAll_CoversEverySender()
    {
        await List.SuppressAsync(MessagingChannel.Sms, SuppressionScope.All, Recipient);

        Assert.True(await List.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender("+14155551234"), Recipient));
        Assert.True(await List.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.MessagingService("MG0123456789abcdef0123456789abcdef"), Recipient));
    }

    [Fact]
    public async Task Suppress_Twice_ReportsTheSecondAsNoChange_AndReleaseUndoesIt()
    {
        var scope = SuppressionScope.MessagingService("MG0123456789abcdef0123456789abcdef");

        Assert.True(await List.SuppressAsync(MessagingChannel.Sms, scope, Recipient));
        Assert.False(await List.SuppressAsync(MessagingChannel.Sms, scope, Recipient));
        Assert.True(await List.ReleaseAsync(MessagingChannel.Sms, scope, Recipient));
        Assert.False(await List.ReleaseAsync(MessagingChannel.Sms, scope, Recipient));
        Assert.False(await List.IsSuppressedAsync(MessagingChannel.Sms, scope, Recipient));
    }

    [Fact]
    public async Task Suppress_ConcurrentlyFromManyCallers_ExactlyOneSeesTheChange()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
            await List.SuppressAsync(MessagingChannel.WhatsApp, SuppressionScope.All, "whatsapp:+447700900123"))));

        Assert.Single(results, r => r);
    }

    [Fact]
    public async Task BlankRecipient_IsRejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => List.SuppressAsync(MessagingChannel.Sms, SuppressionScope.All, " ").AsTask());
    }

    protected abstract Task<ISuppressionList> CreateAsync();
}

public sealed class InMemorySuppressionListContractTests : SuppressionListContract
{
    protected override Task<ISuppressionList> CreateAsync() => Task.FromResult<ISuppressionList>(new InMemorySuppressionList());
}

public sealed class PostgreSqlSuppressionListContractTests : SuppressionListContract
{
    private readonly PostgreSqlFixture fixture = PostgreSqlFixture.Create();

    public override async Task DisposeAsync() => await fixture.DisposeAsync();

    protected override Task<ISuppressionList> CreateAsync() => Task.FromResult<ISuppressionList>(new PostgreSqlSuppressionList(fixture.Database()));
}
