namespace OmniChannel.Messaging.Core.Tests.Compliance;

public sealed class InMemorySuppressionListTests
{
    private const string User = "+447700900123";
    private const string Sender = "+14155550100";
    private const string ServiceSid = "MG0123456789abcdef0123456789abcdef";

    private readonly InMemorySuppressionList list = new();

    [Fact]
    public async Task IsSuppressedAsync_AfterSuppressForSender_IsTrueForThatSenderOnly()
    {
        Assert.True(await list.SuppressAsync(MessagingChannel.Sms, SuppressionScope.Sender(Sender), User));

        Assert.True(await list.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender(Sender), User));
        Assert.False(await list.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender("+14155550199"), User));
        Assert.False(await list.IsSuppressedAsync(MessagingChannel.WhatsApp, SuppressionScope.Sender(Sender), User));
        Assert.False(await list.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender(Sender), "+447700900999"));
    }

    [Fact]
    public async Task IsSuppressedAsync_SuppressedForAll_IsTrueForEveryScopeOfThatChannel()
    {
        await list.SuppressAsync(MessagingChannel.WhatsApp, SuppressionScope.All, "whatsapp:" + User);

        Assert.True(await list.IsSuppressedAsync(MessagingChannel.WhatsApp, SuppressionScope.Sender("whatsapp:+14155238886"), "whatsapp:" + User));
        Assert.True(await list.IsSuppressedAsync(MessagingChannel.WhatsApp, SuppressionScope.MessagingService(ServiceSid), "whatsapp:" + User));
        Assert.False(await list.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.All, "whatsapp:" + User));
    }

    [Fact]
    public async Task IsSuppressedAsync_MessagingServiceScope_BlocksSendsThroughTheService()
    {
        await list.SuppressAsync(MessagingChannel.Sms, SuppressionScope.MessagingService(ServiceSid), User);

        Assert.True(await list.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.MessagingService(ServiceSid), User));
        Assert.False(await list.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender(Sender), User));
    }

    [Fact]
    public async Task ReleaseAsync_RemovesOnlyThatScope()
    {
        await list.SuppressAsync(MessagingChannel.Sms, SuppressionScope.Sender(Sender), User);
        await list.SuppressAsync(MessagingChannel.Sms, SuppressionScope.All, User);

        Assert.True(await list.ReleaseAsync(MessagingChannel.Sms, SuppressionScope.Sender(Sender), User));
        Assert.False(await list.ReleaseAsync(MessagingChannel.Sms, SuppressionScope.Sender(Sender), User));
        Assert.True(await list.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender(Sender), User));
        Assert.True(await list.ReleaseAsync(MessagingChannel.Sms, SuppressionScope.All, User));
        Assert.False(await list.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender(Sender), User));
        Assert.Equal(0, list.Count);
    }

    [Fact]
    public async Task SuppressAsync_Twice_ReportsExistingEntry()
    {
        Assert.True(await list.SuppressAsync(MessagingChannel.Chat, SuppressionScope.All, "agent-7"));
        Assert.False(await list.SuppressAsync(MessagingChannel.Chat, SuppressionScope.All, "agent-7"));
        Assert.Equal(1, list.Count);
    }

    [Fact]
    public async Task SuppressAsync_Canceled_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await list.SuppressAsync(MessagingChannel.Sms, SuppressionScope.All, User, cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await list.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.All, User, cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await list.ReleaseAsync(MessagingChannel.Sms, SuppressionScope.All, User, cts.Token));
        Assert.Equal(0, list.Count);
    }

    [Fact]
    public async Task SuppressAsync_ConcurrentWriters_EachEntryAddedOnce()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(async () =>
            await list.SuppressAsync(MessagingChannel.Sms, SuppressionScope.All, "+1415555" + (i % 100).ToString("D4", System.Globalization.CultureInfo.InvariantCulture)))));

        Assert.Equal(100, results.Count(added => added));
        Assert.Equal(100, list.Count);
    }

    [Fact]
    public void SuppressionScope_Factories_ValidateAndCompare()
    {
        Assert.True(SuppressionScope.All.IsAll);
        Assert.True(default(SuppressionScope).IsAll);
        Assert.True(SuppressionScope.MessagingService(ServiceSid).IsMessagingService);
        Assert.False(SuppressionScope.Sender(Sender).IsMessagingService);
        Assert.Equal(SuppressionScope.Sender(Sender), SuppressionScope.Sender(Sender));
        Assert.NotEqual(SuppressionScope.Sender(Sender), SuppressionScope.All);
        Assert.Throws<ArgumentException>(() => SuppressionScope.MessagingService("MG123"));
        Assert.Throws<ArgumentException>(() => SuppressionScope.Sender("*"));
        Assert.Throws<ArgumentException>(() => SuppressionScope.Sender(" "));
    }
}
