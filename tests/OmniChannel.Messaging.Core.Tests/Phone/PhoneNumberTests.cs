namespace OmniChannel.Messaging.Core.Tests.Phone;

public sealed class PhoneNumberTests
{
    private const PhoneNumberParseOptions Vanity = PhoneNumberParseOptions.AllowVanityLetters;
    private const PhoneNumberParseOptions DropExtension = PhoneNumberParseOptions.DropExtension;

    // Expected values checked against google-libphonenumber 3.2.47 (parse + format E164).
    [Theory]
    [InlineData("+44 20 7946 0000", null, "+442079460000")]
    [InlineData("+442079460000", null, "+442079460000")]
    [InlineData("  +44 20 7946 0000\t", null, "+442079460000")]
    [InlineData("\u00A0+44\u00A020\u00A07946\u00A00000\u00A0", null, "+442079460000")]
    [InlineData("+44-20-7946-0000", null, "+442079460000")]
    [InlineData("+44.20.7946.0000", null, "+442079460000")]
    [InlineData("+44 (0)20 7946 0000", null, "+442079460000")]
    [InlineData("(415) 555-0100", "US", "+14155550100")]
    [InlineData("415.555.0100", "us", "+14155550100")]
    [InlineData("1 (415) 555-0100", "US", "+14155550100")]
    [InlineData("011 44 20 7946 0000", "US", "+442079460000")]
    [InlineData("0044 20 7946 0000", "GB", "+442079460000")]
    [InlineData("00 44 20 7946 0000", null, "+442079460000")]
    [InlineData("020 7946 0000", "GB", "+442079460000")]
    [InlineData("44 20 7946 0000", "GB", "+442079460000")]
    [InlineData("810 44 20 7946 0000", "RU", "+442079460000")]
    [InlineData("8 (495) 123-45-67", "RU", "+74951234567")]
    [InlineData("03-1234-5678", "JP", "+81312345678")]
    [InlineData("010-1234-5678", "KR", "+821012345678")]
    [InlineData("(11) 91234-5678", "BR", "+5511912345678")]
    [InlineData("0 21 98765 4321", "BR", "+5521987654321")]
    [InlineData("0412 345 678", "AU", "+61412345678")]
    [InlineData("098765 43210", "IN", "+919876543210")]
    [InlineData("+86 138 0013 8000", null, "+8613800138000")]
    [InlineData("011 15-2345-6789", "AR", "+5491123456789")]
    [InlineData("460 1234", "AG", "+12684601234")]
    [InlineData("+800 1234 5678", null, "+80012345678")]
    [InlineData("0549 123456", "SM", "+3780549123456")]
    public void TryParse_HumanFormats_ReturnsE164(string input, string? region, string expected)
    {
        Assert.True(PhoneNumber.TryParse(input, region, PhoneNumberParseOptions.None, out var number, out var error), error?.Message);
        Assert.Equal(expected, number.ToString());
    }

    [Theory]
    [InlineData("whatsapp:+14155238886")]
    [InlineData("WhatsApp: +1 415 523 8886")]
    [InlineData("sms:+14155238886")]
    [InlineData("tel:+1-415-523-8886")]
    public void TryParse_ChannelPrefix_IsNotPartOfTheNumber(string input)
    {
        Assert.Equal("+14155238886", PhoneNumber.Parse(input).ToString());
    }

    [Theory]
    [InlineData("\uFF0B\uFF14\uFF14 \uFF12\uFF10 \uFF17\uFF19\uFF14\uFF16 \uFF10\uFF10\uFF10\uFF10")] // full width
    [InlineData("+\u0664\u0664 \u0662\u0660 \u0667\u0669\u0664\u0666 \u0660\u0660\u0660\u0660")] // Arabic-Indic
    [InlineData("+\u096A\u096A \u0968\u0966 \u096D\u096F\u096A\u096C \u0966\u0966\u0966\u0966")] // Devanagari
    [InlineData("+44\u300020\u20137946\u20140000")] // Unicode dashes
    public void TryParse_UnicodeDigitsAndSeparators_ReturnsE164(string input)
    {
        Assert.Equal("+442079460000", PhoneNumber.Parse(input).ToString());
    }

    [Theory]
    [InlineData("06 1234 5678", "IT")]
    [InlineData("+39 06 1234 5678", null)]
    [InlineData("0039 06 1234 5678", "DE")]
    public void Parse_Italy_KeepsTheLeadingZero(string input, string? region)
    {
        var number = PhoneNumber.Parse(input, region);

        Assert.Equal("+390612345678", number.ToString());
        Assert.Equal("0612345678", number.NationalNumber);
        Assert.Equal(39, number.CountryCallingCode);
    }

    [Fact]
    public void Parse_VanityLettersWhenAsked_ReadsKeypadDigits()
    {
        Assert.Equal("+18003569377", PhoneNumber.Parse("1-800-FLOWERS", "US", Vanity).ToString());
        Assert.Equal("+18003569377", PhoneNumber.Parse("1-800-ｆｌｏｗｅｒｓ", "US", Vanity).ToString());
    }

    [Theory]
    [InlineData("+1 415 555 0100 ext. 123")]
    [InlineData("+1 415 555 0100 ext 123")]
    [InlineData("+1 415 555 0100 extension 9")]
    [InlineData("+1 415 555 0100 x123")]
    [InlineData("+1 415 555 0100;ext=123")]
    [InlineData("+1 415 555 0100 #123")]
    public void TryParse_ExtensionWhenAskedToDrop_ReturnsNumberWithoutIt(string input)
    {
        Assert.True(PhoneNumber.TryParse(input, null, DropExtension, out var number, out _));
        Assert.Equal("+14155550100", number.ToString());
        Assert.False(PhoneNumber.TryParse(input, null, PhoneNumberParseOptions.None, out _, out var error));
        Assert.Equal(PhoneNumberParseErrorReason.Extension, error.Reason);
    }

    [Theory]
    [InlineData(null, null, PhoneNumberParseErrorReason.Empty)]
    [InlineData("", null, PhoneNumberParseErrorReason.Empty)]
    [InlineData("   ", "US", PhoneNumberParseErrorReason.Empty)]
    [InlineData("whatsapp:", null, PhoneNumberParseErrorReason.Empty)]
    [InlineData("+1 415 @ 555 0100", null, PhoneNumberParseErrorReason.InvalidCharacters)]
    [InlineData("call me", "US", PhoneNumberParseErrorReason.Letters)]
    [InlineData("call me at +1 415 555 0100", null, PhoneNumberParseErrorReason.Letters)]
    [InlineData("+1-800-FLOWERS", null, PhoneNumberParseErrorReason.Letters)]
    [InlineData("+1 415 555 0100 ext. 12", null, PhoneNumberParseErrorReason.Extension)]
    [InlineData("+", null, PhoneNumberParseErrorReason.InvalidCharacters)]
    [InlineData("1 + 415", null, PhoneNumberParseErrorReason.InvalidCharacters)]
    [InlineData("415 555 0100", null, PhoneNumberParseErrorReason.UnknownRegion)]
    [InlineData("415 555 0100", "ZZ", PhoneNumberParseErrorReason.UnknownRegion)]
    [InlineData("+999 1234 5678", null, PhoneNumberParseErrorReason.UnknownCallingCode)]
    [InlineData("+0 1234 5678", null, PhoneNumberParseErrorReason.UnknownCallingCode)]
    [InlineData("011 999 1234 5678", "US", PhoneNumberParseErrorReason.UnknownCallingCode)]
    [InlineData("+1 415 555", null, PhoneNumberParseErrorReason.TooShort)]
    [InlineData("+44 1", null, PhoneNumberParseErrorReason.TooShort)]
    [InlineData("555 0100", "US", PhoneNumberParseErrorReason.TooShort)]
    [InlineData("+1 415 555 0100 1", null, PhoneNumberParseErrorReason.TooLong)]
    [InlineData("+49 1234 5678 9012 3456", null, PhoneNumberParseErrorReason.TooLong)]
    [InlineData("+98 21 1234 567", null, PhoneNumberParseErrorReason.InvalidLength)]
    public void TryParse_Invalid_ReportsReasonAndNamesInput(string? input, string? region, PhoneNumberParseErrorReason reason)
    {
        Assert.False(PhoneNumber.TryParse(input, region, PhoneNumberParseOptions.None, out var number, out var error));

        Assert.Equal(reason, error.Reason);
        Assert.Equal(input ?? string.Empty, error.Input);
        Assert.Contains($"'{input}'", error.Message, StringComparison.Ordinal);
        Assert.True(number.IsEmpty);
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatExceptionNamingInput()
    {
        var exception = Assert.Throws<FormatException>(() => PhoneNumber.Parse("+1 415 555"));

        Assert.Contains("'+1 415 555'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equals_SameNumberInDifferentFormats_AreEqual()
    {
        var international = PhoneNumber.Parse("+44 20 7946 0000");
        var national = PhoneNumber.Parse("020 7946 0000", "GB");
        var other = PhoneNumber.Parse("+44 20 7946 0001");

        Assert.Equal(international, national);
        Assert.True(international == national);
        Assert.False(international != national);
        Assert.Equal(international.GetHashCode(), national.GetHashCode());
        Assert.True(international.Equals((object)national));
        Assert.NotEqual(international, other);
        Assert.True(international != other);
        Assert.False(international.Equals("+442079460000"));
    }

    [Fact]
    public void Default_HoldsNoNumber()
    {
        var number = default(PhoneNumber);

        Assert.True(number.IsEmpty);
        Assert.Equal(string.Empty, number.ToString());
        Assert.Equal(string.Empty, number.NationalNumber);
        Assert.Equal(0, number.CountryCallingCode);
        Assert.Null(number.RegionCode);
        Assert.Equal(0, number.GetHashCode());
    }

    [Theory]
    [InlineData("+33 1 23 45 67 89", null, "FR", 33, "123456789")]
    [InlineData("020 7946 0000", "GB", "GB", 44, "2079460000")]
    [InlineData("+44 20 7946 0000", "GB", null, 44, "2079460000")]
    [InlineData("(415) 555-0100", "US", "US", 1, "4155550100")]
    [InlineData("+1 415 555 0100", null, null, 1, "4155550100")]
    [InlineData("+800 1234 5678", null, null, 800, "12345678")]
    public void Parse_Properties_DescribeTheNumber(string input, string? region, string? expectedRegion, int callingCode, string national)
    {
        var number = PhoneNumber.Parse(input, region);

        Assert.Equal(expectedRegion, number.RegionCode);
        Assert.Equal(callingCode, number.CountryCallingCode);
        Assert.Equal(national, number.NationalNumber);
    }

    [Theory]
    [InlineData("+442079460000", null, true)]
    [InlineData("+390612345678", "IT", true)]
    [InlineData("+14155550100", "CA", true)]
    [InlineData("+14155550100", "GB", false)]
    [InlineData("+14155550100", "ZZ", false)]
    [InlineData("+9991234567", null, false)]
    [InlineData("442079460000", null, false)]
    [InlineData("+44 20 7946 0000", null, false)]
    [InlineData("+4420794600001234", null, false)]
    [InlineData("+44", null, false)]
    [InlineData(null, null, false)]
    public void TryFromE164_ChecksFormAndCallingCode(string? e164, string? region, bool expected)
    {
        Assert.Equal(expected, PhoneNumber.TryFromE164(e164, region, out var number));
        if (expected)
        {
            Assert.Equal(e164, number.ToString());
            Assert.Equal(PhoneNumber.FromE164(e164!, region), number);
        }
    }

    [Fact]
    public void FromE164_Invalid_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => PhoneNumber.FromE164("+999123"));
    }

    [Theory]
    [InlineData("+123", PhoneNumberParseErrorReason.TooShort, "2 digits, too few for calling code +1")]
    [InlineData("+12345", PhoneNumberParseErrorReason.TooShort, "4 digits, too few for calling code +1")]
    [InlineData("+1415555010", PhoneNumberParseErrorReason.TooShort, "9 digits, too few for calling code +1")]
    [InlineData("+141555501001", PhoneNumberParseErrorReason.TooLong, "11 digits, too many for calling code +1")]
    [InlineData("+15550100", PhoneNumberParseErrorReason.TooShort, "a local number in calling code +1 without its area code")]
    [InlineData("+98211234567", PhoneNumberParseErrorReason.InvalidLength, "not a length used in region IR (+98)")]
    [InlineData("+6831", PhoneNumberParseErrorReason.TooShort, "1 digits, too few for region NU (+683)")]
    [InlineData("+9991234567", PhoneNumberParseErrorReason.UnknownCallingCode, "assigned country calling code")]
    [InlineData("+8823456789012345", PhoneNumberParseErrorReason.TooLong, "16 digits, more than the 15 E.164 allows")]
    [InlineData("+44 20 7946 0000", PhoneNumberParseErrorReason.InvalidCharacters, "ASCII digits only")]
    [InlineData("442079460000", PhoneNumberParseErrorReason.InvalidCharacters, "ASCII digits only")]
    [InlineData("+４４2079460000", PhoneNumberParseErrorReason.InvalidCharacters, "ASCII digits only")]
    [InlineData("", PhoneNumberParseErrorReason.Empty, "it is empty")]
    public void FromE164_NotAPossibleNumber_FailsWithTheReason(string e164, PhoneNumberParseErrorReason reason, string detail)
    {
        Assert.False(PhoneNumber.TryFromE164(e164, null, out var number, out var error));
        Assert.True(number.IsEmpty);
        Assert.Equal(reason, error.Reason);
        Assert.Equal(e164, error.Input);
        Assert.StartsWith($"'{e164}' is not an E.164 phone number: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
        Assert.False(PhoneNumber.TryFromE164(e164, null, out _));

        var thrown = Assert.Throws<FormatException>(() => PhoneNumber.FromE164(e164));
        Assert.Equal(error.Message, thrown.Message);
    }

    [Theory]
    [InlineData("+6834002", "NU")] // Niue: 4-digit national numbers
    [InlineData("+29022158", null)] // Saint Helena: 5 digits (+290 is shared with TA)
    [InlineData("+6907010", "TK")] // Tokelau: 4 digits
    [InlineData("+390612345678", null)] // +39 is shared with VA
    [InlineData("+882345678901234", null)] // 15 digits, the E.164 maximum (international networks)
    public void FromE164_ShortOrLongNumberThePlanAllows_IsAccepted(string e164, string? region)
    {
        Assert.True(PhoneNumber.TryFromE164(e164, null, out var number, out var error), error?.Message);
        Assert.Equal(e164, number.ToString());
        Assert.Equal(region, number.RegionCode);
        Assert.Equal(number, PhoneNumber.Parse(e164));
    }

    [Theory]
    [InlineData("+14155550100", "GB", "region GB uses calling code +44, not +1")]
    [InlineData("+14155550100", "ZZ", "'ZZ' is not a known ISO 3166 region")]
    public void TryFromE164_RegionNotUsingTheCallingCode_FailsWithTheReason(string e164, string region, string detail)
    {
        Assert.False(PhoneNumber.TryFromE164(e164, region, out _, out var error));
        Assert.Equal(PhoneNumberParseErrorReason.UnknownRegion, error.Reason);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryFromE164_EveryNumberTheNormalizerAcceptsByDefault_IsAcceptedBackWithTheSameCallingCode()
    {
        var random = new Random(683);
        foreach (var code in PhoneNumberNormalizer.SupportedCallingCodes)
        {
            for (var length = 1; length <= 17; length++)
            {
                var e164 = "+" + code.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    + string.Concat(Enumerable.Range(0, length).Select(_ => (char)('0' + random.Next(10))));
                var parsed = PhoneNumber.TryParse(e164, null, PhoneNumberParseOptions.None, out var number, out _);
                var direct = PhoneNumber.TryFromE164(e164, null, out var fromE164, out var error);
                if (parsed && number.ToString() == e164)
                {
                    Assert.True(direct, error?.Message);
                    Assert.Equal(number, fromE164);
                    Assert.Equal(number.CountryCallingCode, fromE164.CountryCallingCode);
                    Assert.Equal(number.NationalNumber, fromE164.NationalNumber);
                }
                else if (!parsed)
                {
                    Assert.False(direct, $"{e164} was refused by Parse but accepted by FromE164");
                }
            }
        }
    }

    [Theory]
    [InlineData("+44 20 7946 0000", null)]
    [InlineData("(415) 555-0100", "US")]
    [InlineData("06 1234 5678", "IT")]
    [InlineData("whatsapp:+14155238886", null)]
    public void ToString_RoundTripsThroughParse(string input, string? region)
    {
        var number = PhoneNumber.Parse(input, region);

        Assert.Equal(number, PhoneNumber.Parse(number.ToString()));
        Assert.Equal(number, PhoneNumber.FromE164(number.ToString()));
    }

    [Theory]
    [InlineData("+44 20 7946 0000", null)]
    [InlineData("(415) 555-0100", "US")]
    [InlineData("８ (４９５) １２３-４５-６７", "RU")]
    public void TryParse_Success_AllocatesOnlyTheResultString(string input, string? region)
    {
        PhoneNumber number = default;
        for (var i = 0; i < 50; i++)
        {
            PhoneNumber.TryParse(input, region, out number); // warm up the numbering plan and the JIT
        }

        const int Calls = 1000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
        {
            PhoneNumber.TryParse(input, region, out number);
        }

        var allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / Calls;

        // A string of n characters takes 22 + 2n bytes, rounded up to 8, on 64-bit.
        var stringSize = (22 + (2 * number.ToString().Length) + 7) / 8 * 8;
        Assert.True(allocated <= stringSize, $"allocated {allocated} bytes, the result string takes {stringSize}");
    }

    [Fact]
    public void TryParse_RandomText_NeverThrows()
    {
        var random = new Random(1234);
        const string Alphabet = "0123456789+()-. xX#;=extEXTwhatsapp:tel:\u00A0\uFF10\uFF0B\u0660\u2013abcZ@/~";
        var buffer = new char[64];
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(buffer.Length);
            for (var k = 0; k < length; k++)
            {
                buffer[k] = random.Next(8) == 0 ? (char)random.Next(0x20, 0xFFFF) : Alphabet[random.Next(Alphabet.Length)];
            }

            var input = new string(buffer, 0, length);
            var region = random.Next(3) switch { 0 => null, 1 => "US", _ => PhoneNumberNormalizer.SupportedRegions[random.Next(PhoneNumberNormalizer.SupportedRegions.Count)] };
            var options = (PhoneNumberParseOptions)random.Next(4);
            if (PhoneNumber.TryParse(input, region, options, out var number, out var error))
            {
                Assert.StartsWith("+", number.ToString(), StringComparison.Ordinal);
                Assert.InRange(number.ToString().Length, 4, 16);
                Assert.True(PhoneNumber.TryFromE164(number.ToString(), null, out _));
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(error.Message));
            }

            ChannelAddress.TryParse(input, region, out _);
        }
    }

    [Theory]
    [InlineData("+1 532 2855", null, "+15322855")] // a 7-digit US number without its area code
    [InlineData("555 0100", "US", "+15550100")]
    [InlineData("0811", "GG", "+440811")] // the trunk 0 stays: stripping it would leave 3 digits (libphonenumber does the same)
    public void TryParse_LocalOnlyNumber_RejectedByDefaultAcceptedWithAllowLocalOnly(string input, string? region, string expected)
    {
        Assert.False(PhoneNumber.TryParse(input, region, PhoneNumberParseOptions.None, out _, out var error));
        Assert.Equal(PhoneNumberParseErrorReason.TooShort, error!.Reason);
        Assert.Contains("AllowLocalOnly", error.Message, StringComparison.Ordinal);

        Assert.True(PhoneNumber.TryParse(input, region, PhoneNumberParseOptions.AllowLocalOnly, out var number, out _));
        Assert.Equal(expected, number.ToString());
    }
}
