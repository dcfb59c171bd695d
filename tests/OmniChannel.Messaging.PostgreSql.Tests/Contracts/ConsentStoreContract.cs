using OmniChannel.Messaging.PostgreSql.Stores;

namespace OmniChannel.Messaging.PostgreSql.Tests.Contracts;

/// <summary>What every <see cref="IConsentStore"/> must do; run against each implementation.</summary>
public abstract class ConsentStoreContract : IAsyncLifetime
{
    private const string Recipient = "whatsapp:+447700900123";
    private static readonly DateTimeOffset Granted = new(2026, 11, 1, 9, 30, 0, TimeSpan.Zero);

    protected IConsentStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await CreateAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Record_ThenGet_ReturnsEveryField()
    {
        await Store.RecordAsync(new ConsentRecord { Channel = MessagingChannel.WhatsApp, Recipient = Recipient, GrantedAt = Granted, Source = "checkout", ProofText = "I agree to WhatsApp updates" });

        var record = await Store.GetAsync(MessagingChannel.WhatsApp, Recipient);

        Assert.NotNull(record);
        Assert.True(record.IsActive);
        Assert.Equal(Granted, record.GrantedAt);
        Assert.Equal("checkout", record.Source);
        Assert.Equal("I agree to WhatsApp updates", record.ProofText);
        Assert.Null(await Store.GetAsync(MessagingChannel.Sms, Recipient));
    }

    [Fact]
    public async Task Revoke_MarksTheRecordInactive_AndAnUnknownRecipientIsNotRevoked()
    {
        await Store.RecordAsync(new ConsentRecord { Channel = MessagingChannel.WhatsApp, Recipient = Recipient, GrantedAt = Granted });

        Assert.True(await Store.RevokeAsync(MessagingChannel.WhatsApp, Recipient, Granted.AddDays(3)));
        Assert.False(await Store.RevokeAsync(MessagingChannel.WhatsApp, "whatsapp:+447700900999", Granted));

        var record = await Store.GetAsync(MessagingChannel.WhatsApp, Recipient);
        Assert.False(record?.IsActive);
        Assert.Equal(Granted.AddDays(3), record?.RevokedAt);
    }

    [Fact]
    public async Task Record_Again_ReplacesTheGrant()
    {
        await Store.RecordAsync(new ConsentRecord { Channel = MessagingChannel.Sms, Recipient = "+14155550100", GrantedAt = Granted, RevokedAt = Granted.AddDays(1) });
        await Store.RecordAsync(new ConsentRecord { Channel = MessagingChannel.Sms, Recipient = "+14155550100", GrantedAt = Granted.AddDays(2), Source = "keyword START" });

        var record = await Store.GetAsync(MessagingChannel.Sms, "+14155550100");

        Assert.True(record?.IsActive);
        Assert.Equal("keyword START", record?.Source);
    }

    protected abstract Task<IConsentStore> CreateAsync();
}

public sealed class InMemoryConsentStoreContractTests : ConsentStoreContract
{
    protected override Task<IConsentStore> CreateAsync() => Task.FromResult<IConsentStore>(new InMemoryConsentStore());
}

public sealed class PostgreSqlConsentStoreContractTests : ConsentStoreContract
{
    private readonly PostgreSqlFixture fixture = PostgreSqlFixture.Create();

    public override async Task DisposeAsync() => await fixture.DisposeAsync();

    protected override Task<IConsentStore> CreateAsync() => Task.FromResult<IConsentStore>(new PostgreSqlConsentStore(fixture.Database()));
}
