namespace OmniChannel.Messaging.Core.Tests.Compliance;

public sealed class SuppressionScopeTests
{
    private const string ServiceSid = "MG0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData(ServiceSid, "+14155550100", ServiceSid)]
    [InlineData(ServiceSid, null, ServiceSid)]
    [InlineData(null, "+14155550100", "+14155550100")]
    [InlineData("MG-not-a-sid", "+14155550100", "+14155550100")]
    [InlineData("", "whatsapp:+14155238886", "whatsapp:+14155238886")]
    [InlineData(null, null, "*")]
    [InlineData("MG-not-a-sid", "  ", "*")]
    public void For_ServiceThenSenderThenAll_PicksTheFirstPresent(string? messagingServiceSid, string? sender, string expected)
    {
        var scope = SuppressionScope.For(messagingServiceSid, sender);

        Assert.Equal(expected, scope.Value);
        Assert.Equal(expected == ServiceSid, scope.IsMessagingService);
        Assert.Equal(expected == "*", scope.IsAll);
    }

    [Fact]
    public void For_SameInputs_EqualsTheExplicitFactories()
    {
        Assert.Equal(SuppressionScope.MessagingService(ServiceSid), SuppressionScope.For(ServiceSid, "+14155550100"));
        Assert.Equal(SuppressionScope.Sender("+14155550100"), SuppressionScope.For(null, "+14155550100"));
        Assert.Equal(SuppressionScope.All, SuppressionScope.For(null, null));
    }

    [Fact]
    public void For_SenderIsTheAllKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => SuppressionScope.For(null, "*"));
    }
}
