namespace OmniChannel.Messaging.Sms.Tests.Segments;

public sealed class SmsSegmentsTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    [InlineData(1530, 10)]
    public void Calculate_PlainGsm7_Uses160Then153(int length, int segments)
    {
        var info = SmsSegments.Calculate(new string('a', length));

        Assert.Equal(SmsEncoding.Gsm7, info.Encoding);
        Assert.Equal(segments, info.Segments);
        Assert.Equal(length, info.EncodedLength);
        Assert.Equal(-1, info.FirstNonGsmIndex);
    }

    [Fact]
    public void Calculate_EuroSign_StaysGsm7AndCountsTwoSeptets()
    {
        var info = SmsSegments.Calculate("Price: 5€");

        Assert.Equal(SmsEncoding.Gsm7, info.Encoding);
        Assert.Equal(10, info.EncodedLength);
        Assert.Equal(1, info.Segments);
    }

    [Theory]
    [InlineData(80, 1)]
    [InlineData(81, 2)]
    public void Calculate_ExtensionCharacters_CountDouble(int count, int segments)
    {
        var info = SmsSegments.Calculate(new string('{', count));

        Assert.Equal(SmsEncoding.Gsm7, info.Encoding);
        Assert.Equal(count * 2, info.EncodedLength);
        Assert.Equal(segments, info.Segments);
    }

    [Fact]
    public void Calculate_EscapeAtSegmentBoundary_MovesWholeToNextSegment()
    {
        // 306 septets would fit two segments of 153, but the euro sign cannot be split across them.
        var body = new string('a', 152) + "€" + new string('a', 152);

        var info = SmsSegments.Calculate(body);

        Assert.Equal(306, info.EncodedLength);
        Assert.Equal(3, info.Segments);
        Assert.Equal(152, info.RemainingInLastSegment);
    }

    [Fact]
    public void Calculate_Emoji_ForcesUcs2AndCountsSurrogatePairAsTwo()
    {
        var info = SmsSegments.Calculate("Hello! 👍");

        Assert.Equal(SmsEncoding.Ucs2, info.Encoding);
        Assert.Equal(9, info.EncodedLength);
        Assert.Equal(1, info.Segments);
        Assert.Equal(7, info.FirstNonGsmIndex);
        Assert.Equal(2, info.NonGsmCharacterCount);
        Assert.Equal(61, info.RemainingInLastSegment);
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void Calculate_Ucs2_Uses70Then67(int length, int segments)
    {
        var info = SmsSegments.Calculate(new string('Ж', length));

        Assert.Equal(SmsEncoding.Ucs2, info.Encoding);
        Assert.Equal(segments, info.Segments);
        Assert.Equal(length, info.EncodedLength);
    }

    [Fact]
    public void Calculate_SurrogatePairAtSegmentBoundary_IsNotSplit()
    {
        // 134 code units would fit two segments of 67, but the pair at 66-67 moves to the second segment.
        var body = new string('a', 66) + "😀" + new string('a', 66);

        var info = SmsSegments.Calculate(body);

        Assert.Equal(SmsEncoding.Ucs2, info.Encoding);
        Assert.Equal(134, info.EncodedLength);
        Assert.Equal(3, info.Segments);
    }

    [Fact]
    public void Calculate_CurlyQuote_ForcesUcs2UnlessSmartEncoded()
    {
        const string Body = "It’s “fine” – really…";

        var plain = SmsSegments.Calculate(Body);
        var smart = SmsSegments.Calculate(Body, smartEncoding: true);

        Assert.Equal(SmsEncoding.Ucs2, plain.Encoding);
        Assert.Equal(2, plain.FirstNonGsmIndex);
        Assert.Equal(SmsEncoding.Gsm7, smart.Encoding);
        Assert.Equal(SmsSegments.SmartEncode(Body).Length, smart.EncodedLength);
    }

    [Fact]
    public void SmartEncode_LookAlikes_ReplacedWithGsm7()
    {
        Assert.Equal("It's \"fine\" - really...", SmsSegments.SmartEncode("It’s “fine” – really…"));
        Assert.Equal("a b", SmsSegments.SmartEncode("a\u00A0b"));
    }

    [Fact]
    public void SmartEncode_NothingToReplace_ReturnsSameInstance()
    {
        const string Body = "Plain text with € and {braces}";

        Assert.Same(Body, SmsSegments.SmartEncode(Body));
    }

    [Fact]
    public void SmartEncode_Emoji_KeptSoStillUcs2()
    {
        var encoded = SmsSegments.SmartEncode("Thanks “Ada” 🙏");

        Assert.Equal("Thanks \"Ada\" 🙏", encoded);
        Assert.Equal(SmsEncoding.Ucs2, SmsSegments.Calculate(encoded).Encoding);
    }

    [Fact]
    public void GetNonGsmCharacters_MixedText_ListsDistinctTextElementsInOrder()
    {
        var found = SmsSegments.GetNonGsmCharacters("ç 👩‍💻 ’ ç € Δ");

        Assert.Equal(["ç", "👩‍💻", "’"], found);
    }

    [Fact]
    public void GetNonGsmCharacters_SmartEncoded_LeavesOutReplaceable()
    {
        Assert.Equal(["🎉"], SmsSegments.GetNonGsmCharacters("“Hi” 🎉", smartEncoding: true));
    }

    [Theory]
    [InlineData("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà", 1)]
    [InlineData("^{}\\[~]|€", 2)]
    public void Calculate_WholeAlphabet_StaysGsm7(string alphabet, int septetsEach)
    {
        var info = SmsSegments.Calculate(alphabet);

        Assert.Equal(SmsEncoding.Gsm7, info.Encoding);
        Assert.Equal(alphabet.Length * septetsEach, info.EncodedLength);
    }

    [Theory]
    [InlineData("ç")]
    [InlineData("`")]
    [InlineData("á")]
    [InlineData("\t")]
    public void Calculate_LookingLatinButNotGsm_ForcesUcs2(string text)
    {
        Assert.Equal(SmsEncoding.Ucs2, SmsSegments.Calculate(text).Encoding);
    }

    [Fact]
    public void Calculate_LongBody_DoesNotAllocate()
    {
        var body = new string('a', 500) + "€";
        SmsSegments.Calculate(body);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var info = SmsSegments.Calculate(body.AsSpan(), smartEncoding: true);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(4, info.Segments);
        Assert.Equal(0, allocated);
    }
}
