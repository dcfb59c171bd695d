namespace OmniChannel.Messaging.Core.Tests.Stores;

public sealed class InMemoryConsentStoreTests
{
    private static readonly DateTimeOffset Granted = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RecordAsync_ThenGet_ReturnsRecordWithProof()
    {
        var store = new InMemoryConsentStore();

        await store.RecordAsync(new ConsentRecord { Channel = MessagingChannel.WhatsApp, Recipient = "whatsapp:+447700900123", GrantedAt = Granted, Source = "checkout", ProofText = "Yes, send me updates" });
        var record = await store.GetAsync(MessagingChannel.WhatsApp, "whatsapp:+447700900123");

        Assert.NotNull(record);
        Assert.True(record.IsActive);
        Assert.Equal("checkout", record.Source);
        Assert.Equal("Yes, send me updates", record.ProofText);
        Assert.Null(await store.GetAsync(MessagingChannel.Sms, "whatsapp:+447700900123"));
    }

    [Fact]
    public async Task RevokeAsync_Existing_KeepsRecordMarkedRevoked()
    {
        var store = new InMemoryConsentStore();
        await store.RecordAsync(new ConsentRecord { Channel = MessagingChannel.WhatsApp, Recipient = "whatsapp:+447700900123", GrantedAt = Granted });

        Assert.True(await store.RevokeAsync(MessagingChannel.WhatsApp, "whatsapp:+447700900123", Granted.AddDays(1)));
        var record = await store.GetAsync(MessagingChannel.WhatsApp, "whatsapp:+447700900123");

        Assert.False(record!.IsActive);
        Assert.Equal(Granted.AddDays(1), record.RevokedAt);
        Assert.False(await store.RevokeAsync(MessagingChannel.WhatsApp, "whatsapp:+10000000000", Granted));
    }
}
