using NSubstitute;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Core.Tests.Compliance;

public sealed class CustomerServiceWindowTests
{
    private static readonly DateTimeOffset Inbound = new(2026, 5, 4, 9, 30, 0, TimeSpan.Zero);

    private readonly ManualTimeProvider clock = new(Inbound);

    [Fact]
    public void Evaluate_OneTickBefore24Hours_IsOpen()
    {
        clock.SetUtcNow(Inbound + TimeSpan.FromHours(24) - TimeSpan.FromTicks(1));

        var decision = new CustomerServiceWindow(clock).Evaluate(Inbound);

        Assert.True(decision.IsOpen);
        Assert.False(decision.RequiresTemplate);
        Assert.Equal(Inbound.AddHours(24), decision.ExpiresAt);
        Assert.Equal(TimeSpan.FromTicks(1), decision.Remaining);
    }

    [Fact]
    public void Evaluate_Exactly24Hours_IsClosed()
    {
        clock.SetUtcNow(Inbound + TimeSpan.FromHours(24));

        var decision = new CustomerServiceWindow(clock).Evaluate(Inbound);

        Assert.False(decision.IsOpen);
        Assert.True(decision.RequiresTemplate);
        Assert.Equal(Inbound.AddHours(24), decision.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, decision.Remaining);
    }

    [Fact]
    public void Evaluate_AtTheInboundInstant_IsOpenForFull24Hours()
    {
        var decision = new CustomerServiceWindow(clock).Evaluate(Inbound);

        Assert.True(decision.IsOpen);
        Assert.Equal(TimeSpan.FromHours(24), decision.Remaining);
    }

    [Fact]
    public void Evaluate_UserNeverWrote_RequiresTemplateWithoutExpiry()
    {
        var decision = new CustomerServiceWindow(clock).Evaluate(null);

        Assert.True(decision.RequiresTemplate);
        Assert.Null(decision.ExpiresAt);
        Assert.False(decision.IsFreeEntryPointOpen);
    }

    [Fact]
    public void Evaluate_InboundWithOffset_ComparesInstants()
    {
        var inboundInParis = Inbound.ToOffset(TimeSpan.FromHours(2));
        clock.SetUtcNow(Inbound + TimeSpan.FromHours(23));

        Assert.True(new CustomerServiceWindow(clock).Evaluate(inboundInParis).IsOpen);
    }

    [Fact]
    public void Evaluate_FreeEntryPointOpenAfter24Hours_StillRequiresTemplate()
    {
        var opened = Inbound.AddMinutes(10);
        clock.SetUtcNow(Inbound + TimeSpan.FromHours(30));

        var decision = new CustomerServiceWindow(clock).Evaluate(Inbound, opened);

        Assert.True(decision.RequiresTemplate);
        Assert.True(decision.IsFreeEntryPointOpen);
        Assert.Equal(opened.AddHours(72), decision.FreeEntryPointExpiresAt);
    }

    [Fact]
    public void Evaluate_FreeEntryPointExactly72Hours_IsClosed()
    {
        clock.SetUtcNow(Inbound + TimeSpan.FromHours(72) - TimeSpan.FromTicks(1));
        Assert.True(new CustomerServiceWindow(clock).Evaluate(Inbound, Inbound).IsFreeEntryPointOpen);

        clock.SetUtcNow(Inbound + TimeSpan.FromHours(72));
        Assert.False(new CustomerServiceWindow(clock).Evaluate(Inbound, Inbound).IsFreeEntryPointOpen);
    }

    [Fact]
    public async Task EvaluateAsync_FromStore_UsesLatestInbound()
    {
        var store = new InMemoryLastInboundStore();
        await store.RecordInboundAsync("whatsapp:+14155238886", "whatsapp:+447700900123", Inbound);
        await store.RecordInboundAsync("whatsapp:+14155238886", "whatsapp:+447700900123", Inbound.AddHours(-5)); // late, older webhook
        clock.SetUtcNow(Inbound + TimeSpan.FromHours(20));

        var decision = await new CustomerServiceWindow(clock).EvaluateAsync(store, "whatsapp:+14155238886", "whatsapp:+447700900123");

        Assert.True(decision.IsOpen);
        Assert.Equal(Inbound.AddHours(24), decision.ExpiresAt);
        Assert.Equal(clock.GetUtcNow(), decision.EvaluatedAt);
    }

    [Fact]
    public async Task EvaluateAsync_StoreSubstitute_PassesAddressesAndToken()
    {
        var store = Substitute.For<ILastInboundStore>();
        using var cts = new CancellationTokenSource();
#pragma warning disable CA2012 // NSubstitute configures the call; the ValueTask is not consumed here.
        store.GetAsync("s", "u", cts.Token).Returns(new LastInboundRecord(Inbound, null));
#pragma warning restore CA2012

        var decision = await new CustomerServiceWindow(clock).EvaluateAsync(store, "s", "u", cts.Token);

        Assert.True(decision.IsOpen);
    }

    [Fact]
    public void Constructor_NullTimeProvider_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new CustomerServiceWindow(null!));
    }
}
