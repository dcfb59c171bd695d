using System.Globalization;

namespace OmniChannel.Messaging.Phone.Internal;

/// <summary>The outcome of comparing a national number's length with a region's possible lengths.</summary>
internal enum LengthCheck
{
    Possible,
    PossibleLocalOnly,
    TooShort,
    TooLong,
    InvalidLength,
}

/// <summary>The numbering-plan facts of one region (or one non-geographic calling code, region "001").</summary>
internal sealed class RegionPlan
{
    public required string RegionCode { get; init; }

    public required int CallingCode { get; init; }

    public required string CallingCodeText { get; init; }

    public required bool IsMainRegion { get; init; }

    public required string? NationalPrefix { get; init; }

    public required PrefixPattern? InternationalPrefix { get; init; }

    public required PrefixPattern? NationalPrefixForParsing { get; init; }

    public required string? TransformRule { get; init; }

    public required byte[] Lengths { get; init; }

    public required byte[] LocalOnlyLengths { get; init; }

    public required PrefixPattern? NationalNumberPattern { get; init; }

    public bool IsGeographic => RegionCode != NumberingPlan.NonGeographicRegion;

    public LengthCheck CheckLength(int length)
    {
        if (Array.IndexOf(LocalOnlyLengths, (byte)length) >= 0)
        {
            return LengthCheck.PossibleLocalOnly;
        }

        if (Lengths.Length == 0)
        {
            return LengthCheck.InvalidLength;
        }

        if (length < Lengths[0])
        {
            return LengthCheck.TooShort;
        }

        if (length > Lengths[^1])
        {
            return LengthCheck.TooLong;
        }

        return Array.IndexOf(Lengths, (byte)length) >= 0 ? LengthCheck.Possible : LengthCheck.InvalidLength;
    }

    /// <summary>Determines whether ASCII digits match the region's general national-number pattern (any number type).</summary>
    public bool MatchesNationalNumber(ReadOnlySpan<char> digits) =>
        NationalNumberPattern is null
            ? Array.IndexOf(Lengths, (byte)digits.Length) >= 0 || Array.IndexOf(LocalOnlyLengths, (byte)digits.Length) >= 0
            : NationalNumberPattern.MatchesEntirely(digits);
}

/// <summary>A calling code and the regions that share it.</summary>
internal sealed class CallingCodePlan
{
    public required int CallingCode { get; init; }

    public required RegionPlan MainRegion { get; init; }

    /// <summary>Gets the region when exactly one geographic region uses the calling code; otherwise <see langword="null"/>.</summary>
    public required string? SoleRegionCode { get; init; }
}

/// <summary>
/// Provides the embedded numbering plan (generated from google-libphonenumber's metadata by
/// tests/oracles/generate-numbering-plan.js), loaded once on first use.
/// </summary>
internal sealed class NumberingPlan
{
    public const string NonGeographicRegion = "001";
    private const string ResourceName = "OmniChannel.Messaging.Phone.NumberingPlan.txt";

    // ITU-T E.164 assigned country codes libphonenumber has no metadata for (ITU "List of ITU-T Recommendation E.164
    // assigned country codes", annexed to the ITU Operational Bulletin; docs/phone-numbers.md). No national plan is
    // published for them, so any national number of 4 to 12 digits (E.164's 15 digits with the 3-digit code) is possible.
    private static readonly string[] ItuSupplement =
    [
        "001|379|1|||||4,5,6,7,8,9,10,11,12||", // Vatican City State (assigned, not in use: Vatican numbers are +39 06 698…)
        "001|388|1|||||4,5,6,7,8,9,10,11,12||", // Group of countries, shared code (E.164.3; its one group code, 3883 ETNS, was withdrawn)
        "001|991|1|||||4,5,6,7,8,9,10,11,12||", // Trial of a proposed new international telecommunication public correspondence service (ITPCS)
    ];

    private readonly RegionPlan?[] _regions = new RegionPlan?[26 * 26];
    private readonly CallingCodePlan?[] _callingCodes = new CallingCodePlan?[1000];

    private NumberingPlan(TextReader reader)
    {
        var byCode = new Dictionary<int, List<RegionPlan>>();
        var regionCodes = new List<string>();
        var lines = new List<string>();
        string? read;
        while ((read = reader.ReadLine()) is not null)
        {
            if (read.Length > 0 && read[0] != '#')
            {
                lines.Add(read);
            }
        }

        foreach (var line in lines.Concat(ItuSupplement))
        {
            var f = line.Split('|');
            var plan = new RegionPlan
            {
                RegionCode = f[0],
                CallingCode = int.Parse(f[1], CultureInfo.InvariantCulture),
                CallingCodeText = f[1],
                IsMainRegion = f[2] == "1",
                NationalPrefix = f[3].Length == 0 ? null : f[3],
                InternationalPrefix = PrefixPattern.Parse(f[4]),
                NationalPrefixForParsing = PrefixPattern.Parse(f[5]),
                TransformRule = f[6].Length == 0 ? null : f[6],
                Lengths = ParseLengths(f[7]),
                LocalOnlyLengths = ParseLengths(f[8]),
                NationalNumberPattern = PrefixPattern.Parse(f[9]),
            };
            if (plan.IsGeographic)
            {
                _regions[RegionIndex(plan.RegionCode)] = plan;
                regionCodes.Add(plan.RegionCode);
            }

            if (!byCode.TryGetValue(plan.CallingCode, out var list))
            {
                byCode[plan.CallingCode] = list = [];
            }

            list.Add(plan);
        }

        foreach (var (code, plans) in byCode)
        {
            var geographic = plans.Where(p => p.IsGeographic).ToList();
            _callingCodes[code] = new CallingCodePlan
            {
                CallingCode = code,
                MainRegion = plans.Find(p => p.IsMainRegion) ?? plans[0],
                SoleRegionCode = geographic.Count == 1 ? geographic[0].RegionCode : null,
            };
        }

        RegionCodes = regionCodes.AsReadOnly();
        CallingCodes = byCode.Keys.Order().ToList().AsReadOnly();
    }

    /// <summary>Gets the plan, loading it on first use.</summary>
    public static NumberingPlan Instance { get; } = Load();

    public IReadOnlyList<string> RegionCodes { get; }

    public IReadOnlyList<int> CallingCodes { get; }

    public bool TryGetRegion(ReadOnlySpan<char> regionCode, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RegionPlan? plan)
    {
        plan = null;
        if (regionCode.Length != 2)
        {
            return false;
        }

        var a = char.ToUpperInvariant(regionCode[0]);
        var b = char.ToUpperInvariant(regionCode[1]);
        if (!char.IsAsciiLetterUpper(a) || !char.IsAsciiLetterUpper(b))
        {
            return false;
        }

        plan = _regions[((a - 'A') * 26) + (b - 'A')];
        return plan is not null;
    }

    public bool TryGetCallingCode(int callingCode, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CallingCodePlan? plan)
    {
        plan = callingCode is > 0 and < 1000 ? _callingCodes[callingCode] : null;
        return plan is not null;
    }

    /// <summary>Gets the calling code of a region of this plan; the plan lists every region under its calling code.</summary>
    public CallingCodePlan GetCallingCode(RegionPlan region) =>
        _callingCodes[region.CallingCode] ?? throw new InvalidOperationException($"The numbering plan has no entry for calling code {region.CallingCode} of region {region.RegionCode}.");

    /// <summary>Reads the calling code at the start of ASCII digits: the first 1–3 digit prefix that is assigned.</summary>
    public bool TryReadCallingCode(ReadOnlySpan<char> digits, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CallingCodePlan? plan, out int length)
    {
        plan = null;
        length = 0;
        if (digits.IsEmpty || digits[0] == '0')
        {
            return false;
        }

        var value = 0;
        for (var i = 0; i < 3 && i < digits.Length; i++)
        {
            value = (value * 10) + (digits[i] - '0');
            if (TryGetCallingCode(value, out plan))
            {
                length = i + 1;
                return true;
            }
        }

        return false;
    }

    private static int RegionIndex(string code) => ((code[0] - 'A') * 26) + (code[1] - 'A');

    private static byte[] ParseLengths(string text) =>
        text.Length == 0 ? [] : [.. text.Split(',').Select(s => byte.Parse(s, CultureInfo.InvariantCulture)).Order()];

    private static NumberingPlan Load()
    {
        using var stream = typeof(NumberingPlan).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded numbering plan '{ResourceName}' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return new NumberingPlan(reader);
    }
}
