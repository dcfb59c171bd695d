namespace OmniChannel.Messaging.Core.Tests.Phone;

public sealed class ChannelAddressTests
{
    private const string MessagingServiceSid = "MG0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("whatsapp:+14155238886", null, ChannelKind.WhatsApp, "whatsapp:+14155238886")]
    [InlineData("WhatsApp: +1 (415) 523-8886", null, ChannelKind.WhatsApp, "whatsapp:+14155238886")]
    [InlineData("whatsapp:(415) 523-8886", "US", ChannelKind.WhatsApp, "whatsapp:+14155238886")]
    [InlineData("+14155550100", null, ChannelKind.Sms, "+14155550100")]
    [InlineData("sms:+1 415 555 0100", null, ChannelKind.Sms, "+14155550100")]
    [InlineData("tel:+1-415-555-0100", null, ChannelKind.Sms, "+14155550100")]
    [InlineData("(415) 555-0100", "US", ChannelKind.Sms, "+14155550100")]
    [InlineData("020 7946 0000", "GB", ChannelKind.Sms, "+442079460000")]
    [InlineData("\uFF0B44 20 7946 0000", null, ChannelKind.Sms, "+442079460000")]
    [InlineData("agent-7", null, ChannelKind.Chat, "agent-7")]
    [InlineData("alice@example.com", "US", ChannelKind.Chat, "alice@example.com")]
    public void Parse_KnownForms_ReturnsCanonicalAddress(string value, string? region, ChannelKind kind, string canonical)
    {
        var address = ChannelAddress.Parse(value, region);

        Assert.Equal(kind, address.Kind);
        Assert.Equal(canonical, address.ToString());
        Assert.Equal(address, ChannelAddress.Parse(address.ToString()));
    }

    [Fact]
    public void Parse_WhatsApp_ExposesTheNumber()
    {
        var address = ChannelAddress.Parse("whatsapp:+14155238886");

        Assert.True(address.IsPhoneChannel);
        Assert.Equal(PhoneNumber.Parse("+14155238886"), address.PhoneNumber);
        Assert.Null(address.Identity);
    }

    [Theory]
    [InlineData("12345", "chat:12345")] // numeric user id
    [InlineData("+14155238886", "chat:+14155238886")] // plus-leading
    [InlineData("whatsapp:+14155238886", "chat:whatsapp:+14155238886")]
    [InlineData("sms:+14155550100", "chat:sms:+14155550100")]
    [InlineData("tel:+14155550100", "chat:tel:+14155550100")]
    [InlineData("(415) 555-0100", "chat:(415) 555-0100")]
    [InlineData(" 42 ", "chat: 42 ")]
    [InlineData("chat:alice", "chat:chat:alice")]
    [InlineData("CHAT:", "chat:CHAT:")]
    [InlineData("０１２", "chat:０１２")] // full-width digits
    [InlineData("alice", "alice")] // ordinary identities stay as they are
    [InlineData("agent-7", "agent-7")]
    [InlineData(" Agent 7 ", " Agent 7 ")]
    [InlineData("alice@example.com", "alice@example.com")]
    [InlineData("Chat room", "Chat room")]
    public void Chat_AnyIdentity_RoundTripsThroughToStringAndParse(string identity, string expectedText)
    {
        var address = ChannelAddress.Chat(identity);

        var text = address.ToString();
        var parsed = ChannelAddress.Parse(text, "US");

        Assert.Equal(expectedText, text);
        Assert.Equal(ChannelKind.Chat, parsed.Kind);
        Assert.Equal(identity, parsed.Identity); // the raw identity, the value Twilio gets
        Assert.Equal(address, parsed);
        Assert.Equal(text, parsed.ToString());
    }

    [Theory]
    [InlineData("chat:")]
    [InlineData("chat:   ")]
    public void TryParse_ChatPrefixWithoutIdentity_IsRejected(string value)
    {
        Assert.False(ChannelAddress.TryParse(value, null, out _, out var error));
        Assert.Equal(PhoneNumberParseErrorReason.Empty, error.Reason);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_ChatPrefixWithTooLongIdentity_IsRejected()
    {
        Assert.False(ChannelAddress.TryParse("chat:" + new string('a', 257), null, out _, out var error));
        Assert.Equal(PhoneNumberParseErrorReason.TooLong, error.Reason);
        Assert.Equal(new string('a', 256), ChannelAddress.Parse("chat:" + new string('a', 256)).Identity);
    }

    [Fact]
    public void Chat_Identity_RoundTripsExactly()
    {
        var address = ChannelAddress.Chat(" Agent 7 ");

        Assert.Equal(ChannelKind.Chat, address.Kind);
        Assert.Equal(" Agent 7 ", address.Identity);
        Assert.Equal(" Agent 7 ", address.ToString());
        Assert.False(address.IsPhoneChannel);
        Assert.True(address.PhoneNumber.IsEmpty);
        Assert.Equal(address, ChannelAddress.Parse(address.ToString()));
    }

    [Theory]
    [InlineData(null, PhoneNumberParseErrorReason.Empty)]
    [InlineData("  ", PhoneNumberParseErrorReason.Empty)]
    [InlineData("whatsapp:", PhoneNumberParseErrorReason.Empty)]
    [InlineData("whatsapp:+1415", PhoneNumberParseErrorReason.TooShort)]
    [InlineData("+999 1234 5678", PhoneNumberParseErrorReason.UnknownCallingCode)]
    [InlineData("415 555 0100", PhoneNumberParseErrorReason.UnknownRegion)]
    public void TryParse_Invalid_ReportsReason(string? value, PhoneNumberParseErrorReason reason)
    {
        Assert.False(ChannelAddress.TryParse(value, null, out var address, out var error));
        Assert.Equal(reason, error.Reason);
        Assert.Equal(ChannelKind.None, address.Kind);
        Assert.False(ChannelAddress.TryParse(value, null, out _));
        Assert.Throws<FormatException>(() => ChannelAddress.Parse(value));
    }

    [Fact]
    public void TryParse_IdentityOver256Characters_IsTooLong()
    {
        Assert.False(ChannelAddress.TryParse(new string('a', 257), null, out _, out var error));
        Assert.Equal(PhoneNumberParseErrorReason.TooLong, error.Reason);
        Assert.True(ChannelAddress.TryParse(new string('a', 256), null, out _));
    }

    [Fact]
    public void Factories_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => ChannelAddress.Sms(default));
        Assert.Throws<ArgumentException>(() => ChannelAddress.WhatsApp(default));
        Assert.Throws<ArgumentNullException>(() => ChannelAddress.Chat(null!));
        Assert.Throws<ArgumentException>(() => ChannelAddress.Chat(" "));
        Assert.Throws<ArgumentException>(() => ChannelAddress.Chat(new string('a', 257)));
    }

    [Fact]
    public void Equals_SameNumberOnDifferentChannels_AreNotEqual()
    {
        var number = PhoneNumber.Parse("+14155238886");
        var sms = ChannelAddress.Sms(number);
        var whatsApp = ChannelAddress.WhatsApp(number);

        Assert.NotEqual(sms, whatsApp);
        Assert.True(sms != whatsApp);
        Assert.Equal(whatsApp, ChannelAddress.Parse("whatsapp:+1 415 523 8886"));
        Assert.True(whatsApp == ChannelAddress.Parse("whatsapp:+14155238886"));
        Assert.Equal(whatsApp.GetHashCode(), ChannelAddress.Parse("whatsapp:+14155238886").GetHashCode());
        Assert.True(whatsApp.Equals((object)ChannelAddress.WhatsApp(number)));
        Assert.NotEqual(ChannelAddress.Chat("+14155238886"), sms);
    }

    [Fact]
    public void Default_IsEmpty()
    {
        var address = default(ChannelAddress);

        Assert.Equal(ChannelKind.None, address.Kind);
        Assert.Equal(string.Empty, address.ToString());
        Assert.False(ChannelAddress.IsValidProxy(address, "+14155550100", out _));
    }

    [Fact]
    public void IsValidProxy_ShortCodeWithAPlus_NamesTheLengthRule()
    {
        Assert.False(ChannelAddress.IsValidProxy(ChannelAddress.Parse("+14155550100"), "+12345", out var error));
        Assert.Contains("'+12345' is not an E.164 phone number: its national number has 4 digits, too few for calling code +1", error, StringComparison.Ordinal);

        Assert.False(ChannelAddress.IsValidProxy(ChannelAddress.Parse("whatsapp:+14155550100"), "whatsapp:+12345", out error));
        Assert.Contains("too few for calling code +1", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("whatsapp:+14155550100", "whatsapp:+14155238886", true)]
    [InlineData("whatsapp:+14155550100", "+14155238886", false)]
    [InlineData("whatsapp:+14155550100", MessagingServiceSid, false)]
    [InlineData("whatsapp:+14155550100", "whatsapp:+1 415 523 8886", false)]
    [InlineData("whatsapp:+14155550100", null, false)]
    [InlineData("+14155550100", "+14155238886", true)]
    [InlineData("+14155550100", MessagingServiceSid, true)]
    [InlineData("+14155550100", "whatsapp:+14155238886", false)]
    [InlineData("+14155550100", "MG123", false)]
    [InlineData("+14155550100", "PN0123456789abcdef0123456789abcdef", false)]
    [InlineData("+14155550100", "(415) 523-8886", false)]
    [InlineData("+14155550100", "+12345", false)] // a short code written with a plus: +1 takes 10 national digits
    [InlineData("+14155550100", "+123", false)]
    [InlineData("whatsapp:+14155550100", "whatsapp:+12345", false)]
    [InlineData("+6834002", "+6834003", true)] // Niue's plan uses 4-digit numbers
    [InlineData("+14155550100", "", false)]
    [InlineData("agent-7", null, true)]
    [InlineData("agent-7", "", true)]
    [InlineData("agent-7", "+14155238886", false)]
    public void IsValidProxy_ConversationsBindingRules(string address, string? proxy, bool expected)
    {
        var parsed = ChannelAddress.Parse(address);

        Assert.Equal(expected, ChannelAddress.IsValidProxy(parsed, proxy, out var error));
        if (expected)
        {
            Assert.Null(error);
            ChannelAddress.ValidateProxy(parsed, proxy);
        }
        else
        {
            Assert.Contains(address, error, StringComparison.Ordinal);
            var exception = Assert.Throws<ArgumentException>(() => ChannelAddress.ValidateProxy(parsed, proxy, "participantProxy"));
            Assert.Equal("participantProxy", exception.ParamName);
        }
    }
}
