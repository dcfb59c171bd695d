using NSubstitute;

namespace OmniChannel.Messaging.Core.Tests.Phone;

public sealed class PhoneNumberNormalizerTests
{
    [Fact]
    public void SupportedRegions_CoverEveryLibPhoneNumberRegion()
    {
        Assert.Equal(245, PhoneNumberNormalizer.SupportedRegions.Count);
        Assert.Contains("GB", PhoneNumberNormalizer.SupportedRegions);
        Assert.Contains("XK", PhoneNumberNormalizer.SupportedRegions);
        Assert.All(PhoneNumberNormalizer.SupportedRegions, r => Assert.Matches("^[A-Z]{2}$", r));
    }

    [Fact]
    public void SupportedCallingCodes_CoverGeographicAndNonGeographicCodes()
    {
        var codes = PhoneNumberNormalizer.SupportedCallingCodes;

        Assert.Contains(1, codes);
        Assert.Contains(44, codes);
        Assert.Contains(800, codes);
        Assert.Contains(979, codes);
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.True(codes.Count >= 214, $"only {codes.Count} calling codes");
    }

    [Fact]
    public void Normalize_Invalid_ThrowsFormatException()
    {
        var exception = Assert.Throws<FormatException>(() => PhoneNumberNormalizer.Default.Normalize("12", "US"));

        Assert.Contains("'12'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryNormalize_Extension_UsesStrictOptions()
    {
        Assert.False(PhoneNumberNormalizer.Default.TryNormalize("+1 415 555 0100 x1", "US", out _));
        Assert.True(PhoneNumberNormalizer.Default.TryNormalize("+1 415 555 0100", "US", out var number));
        Assert.Equal("+14155550100", number.ToString());
    }

    [Fact]
    public void Normalize_PluggedNormalizer_IsUsedThroughTheInterface()
    {
        var plugged = Substitute.For<IPhoneNumberNormalizer>();
        plugged.TryNormalize("anything", "GB", PhoneNumberParseOptions.None, out Arg.Any<PhoneNumber>(), out Arg.Any<PhoneNumberParseError?>())
            .Returns(call =>
            {
                call[3] = PhoneNumber.FromE164("+442079460000", "GB");
                call[4] = null;
                return true;
            });

        var number = plugged.Normalize("anything", "GB");

        Assert.Equal("+442079460000", number.ToString());
        Assert.Equal("GB", number.RegionCode);
    }

    [Fact]
    public async Task NumberingPlan_EmbeddedResource_MatchesTheGenerator()
    {
        var generated = Path.Combine(Path.GetTempPath(), $"numbering-plan-{Guid.NewGuid():N}.txt");
        try
        {
            await OracleRunner.RunAsync("generate-numbering-plan.js", string.Empty, generated);
            using var stream = typeof(PhoneNumber).Assembly.GetManifestResourceStream("OmniChannel.Messaging.Phone.NumberingPlan.txt")!;
            using var reader = new StreamReader(stream);
            Assert.Equal(await File.ReadAllTextAsync(generated), await reader.ReadToEndAsync());
        }
        finally
        {
            File.Delete(generated);
        }
    }
}
