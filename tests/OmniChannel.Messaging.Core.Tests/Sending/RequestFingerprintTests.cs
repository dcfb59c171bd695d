namespace OmniChannel.Messaging.Core.Tests.Sending;

public sealed class RequestFingerprintTests
{
    [Fact]
    public void ComputeRequestFingerprint_SameFieldsAsARequestForm_GivesTheSendersFingerprint()
    {
        KeyValuePair<string, string>[] form = [new("To", "+14155550100"), new("From", "+14155551234"), new("Body", "Hi")];

        var computed = TwilioMessageSender.ComputeRequestFingerprint(form.Select(f => new KeyValuePair<string, string?>(f.Key, f.Value)));

        Assert.Equal(TwilioMessageSender.Fingerprint(form), computed);
        Assert.Matches("^v1:[0-9A-F]{64}$", computed);
    }

    [Fact]
    public void ComputeRequestFingerprint_NullField_IsLeftOutButAnEmptyOneCounts()
    {
        var without = TwilioMessageSender.ComputeRequestFingerprint([new("To", "+14155550100")]);
        var withNull = TwilioMessageSender.ComputeRequestFingerprint([new("To", "+14155550100"), new("Body", null)]);
        var withEmpty = TwilioMessageSender.ComputeRequestFingerprint([new("To", "+14155550100"), new("Body", string.Empty)]);

        Assert.Equal(without, withNull);
        Assert.NotEqual(without, withEmpty);
    }

    [Fact]
    public void ComputeRequestFingerprint_ValueMovedAcrossFieldBoundaries_Differs()
    {
        var first = TwilioMessageSender.ComputeRequestFingerprint([new("A", "xy"), new("B", "z")]);
        var second = TwilioMessageSender.ComputeRequestFingerprint([new("A", "x"), new("B", "yz")]);

        Assert.NotEqual(first, second);
    }
}
