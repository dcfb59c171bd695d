namespace OmniChannel.Messaging.Core.Tests.Phone;

/// <summary>
/// Holds the complete list of ITU-T E.164 assigned country codes ("List of ITU-T Recommendation E.164 assigned country
/// codes", the annex to the ITU Operational Bulletin; Recommendation ITU-T E.164 Supplement), typed from the list, and
/// checks that the normalizer knows every one of them.
/// </summary>
public sealed class ItuCallingCodesTests
{
    // Codes the ITU list assigns (spare and reserved-for-expansion codes such as 210, 28, 671, 875-877, 999 are left out).
    // 886 is listed as "Reserved" and is in use (Taiwan); 970 is assigned per Resolution 99 (PP-98).
    private static readonly int[] ItuAssigned =
    [
        // Zone 1 (North American Numbering Plan).
        1,

        // Zone 2.
        20, 211, 212, 213, 216, 218, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236,
        237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255, 256, 257, 258, 260,
        261, 262, 263, 264, 265, 266, 267, 268, 269, 27, 290, 291, 297, 298, 299,

        // Zones 3 and 4.
        30, 31, 32, 33, 34, 350, 351, 352, 353, 354, 355, 356, 357, 358, 359, 36, 370, 371, 372, 373, 374, 375, 376, 377,
        378, 379, 380, 381, 382, 383, 385, 386, 387, 388, 389, 39, 40, 41, 420, 421, 423, 43, 44, 45, 46, 47, 48, 49,

        // Zone 5.
        500, 501, 502, 503, 504, 505, 506, 507, 508, 509, 51, 52, 53, 54, 55, 56, 57, 58, 590, 591, 592, 593, 594, 595,
        596, 597, 598, 599,

        // Zone 6.
        60, 61, 62, 63, 64, 65, 66, 670, 672, 673, 674, 675, 676, 677, 678, 679, 680, 681, 682, 683, 685, 686, 687, 688,
        689, 690, 691, 692,

        // Zone 7.
        7,

        // Zone 8 (with the global services 800, 808, 870, 878, 881, 882, 883, 888).
        800, 808, 81, 82, 84, 850, 852, 853, 855, 856, 86, 870, 878, 880, 881, 882, 883, 886, 888,

        // Zone 9 (with the global service 979 and the trial code 991).
        90, 91, 92, 93, 94, 95, 960, 961, 962, 963, 964, 965, 966, 967, 968, 970, 971, 972, 973, 974, 975, 976, 977, 979,
        98, 991, 992, 993, 994, 995, 996, 998,
    ];

    [Fact]
    public void SupportedCallingCodes_EveryItuAssignedCode_IsKnown()
    {
        var known = PhoneNumberNormalizer.SupportedCallingCodes.ToHashSet();

        var missing = ItuAssigned.Where(code => !known.Contains(code)).ToList();

        Assert.Equal(ItuAssigned.Length, ItuAssigned.Distinct().Count());
        Assert.True(missing.Count == 0, "ITU-assigned calling codes the normalizer does not know: " + string.Join(", ", missing));
    }

    [Fact]
    public void SupportedCallingCodes_EveryKnownCode_IsItuAssigned()
    {
        var unknownToItu = PhoneNumberNormalizer.SupportedCallingCodes.Except(ItuAssigned).ToList();

        Assert.True(unknownToItu.Count == 0, "Calling codes outside the ITU list: " + string.Join(", ", unknownToItu));
    }

    [Theory]
    [InlineData("+991 1234 5678", 991)] // ITPCS trial
    [InlineData("+388 3 1234 5678", 388)] // group of countries, shared code
    [InlineData("+379 123 4567", 379)] // Vatican City State (assigned, not in use)
    public void TryParse_ItuCodeOutsideLibPhoneNumber_IsAccepted(string input, int callingCode)
    {
        Assert.True(PhoneNumber.TryParse(input, null, PhoneNumberParseOptions.None, out var number, out var error), error?.Message);

        Assert.Equal(callingCode, number.CountryCallingCode);
        Assert.Null(number.RegionCode);
        Assert.Equal("+" + new string([.. input.Where(char.IsAsciiDigit)]), number.ToString());
    }
}
