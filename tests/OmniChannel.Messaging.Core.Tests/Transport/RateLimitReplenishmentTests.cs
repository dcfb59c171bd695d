using OmniChannel.Messaging.Transport.Internal;

namespace OmniChannel.Messaging.Core.Tests.Transport;

public sealed class RateLimitReplenishmentTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(45)]
    [InlineData(97)]
    [InlineData(100)]
    [InlineData(333)]
    [InlineData(1000)]
    [InlineData(100_000)]
    public void Replenishment_AnyRate_WholeMillisecondsAndWithinOnePercentBelow(int rate)
    {
        var (period, tokens) = TwilioResilience.Replenishment(rate);

        Assert.Equal(0, period.Ticks % TimeSpan.TicksPerMillisecond);
        Assert.True(period >= TimeSpan.FromMilliseconds(10));
        var effective = tokens / period.TotalSeconds;
        Assert.InRange(effective, rate * 0.99, rate);
    }
}
