using System.Globalization;
using System.Text;
using OmniChannel.Messaging.Phone.Internal;

namespace OmniChannel.Messaging.Core.Tests.Phone;

/// <summary>One generated input: the text as a person might type it, the default region, and how it was made.</summary>
internal sealed record PhoneCorpusCase(string Input, string? Region, string Format)
{
    /// <summary>Gets the region whose numbering plan the number was drawn from.</summary>
    public string SourceRegion { get; init; } = string.Empty;
}

/// <summary>
/// Generates a deterministic corpus of typed phone numbers over every region of the numbering plan: random national
/// numbers of each region's possible lengths written in many human formats, and invalid inputs.
/// </summary>
internal static class PhoneNumberCorpus
{
    // Regions and one literal of their own international prefix, to write numbers as dialled from there.
    private static readonly (string Region, string Prefix)[] DiallingPrefixes =
    [
        ("US", "011"), ("CA", "011"), ("JP", "010"), ("AU", "0011"), ("RU", "810"), ("KZ", "810"), ("KR", "001"),
        ("SG", "001"), ("IL", "00"), ("BR", "0021"), ("CO", "009"), ("CN", "00"), ("HK", "001"), ("TW", "002"),
        ("GB", "00"), ("DE", "00"), ("FR", "00"), ("IN", "00"), ("NG", "009"), ("ID", "008"), ("MN", "001"), ("TH", "001"),
    ];

    private static readonly char[] DigitZeros = ['\uFF10', '\u0660', '\u06F0', '\u0966', '\u09E6', '\u0E50'];

    public static IReadOnlyList<PhoneCorpusCase> Generate(int seed, int validCount, int invalidCount, int trunkLeadingCount = 0, int anyLengthCount = 0)
    {
        var random = new Random(seed);
        var plan = NumberingPlan.Instance;
        var regions = plan.RegionCodes.Select(code => plan.TryGetRegion(code, out var r) ? r : null).OfType<RegionPlan>()
            .Where(r => r.Lengths.Length > 0).ToArray();
        var cases = new List<PhoneCorpusCase>(validCount + invalidCount);
        for (var i = 0; i < validCount; i++)
        {
            var region = regions[i % regions.Length];
            var national = RandomNational(random, region, e164Only: true);
            cases.Add(Format(random, region, national, random.Next(18)) with { SourceRegion = region.RegionCode });
        }

        // The hard inputs the plain cases avoid: national numbers that start with the region's trunk-prefix digit
        // (where stripping the prefix is ambiguous), and every length libphonenumber knows, also those whose E.164 form
        // would exceed 15 digits.
        var trunkRegions = regions.Where(r => r.NationalPrefix is not null).ToArray();
        for (var i = 0; i < trunkLeadingCount; i++)
        {
            var region = trunkRegions[i % trunkRegions.Length];
            var national = RandomNational(random, region, e164Only: true, trunkLeading: true);
            var c = Format(random, region, national, random.Next(18));
            cases.Add(c with { SourceRegion = region.RegionCode, Format = "trunk-leading " + c.Format });
        }

        for (var i = 0; i < anyLengthCount; i++)
        {
            var region = regions[random.Next(regions.Length)];
            var national = RandomNational(random, region, e164Only: false);
            var c = Format(random, region, national, random.Next(18));
            cases.Add(c with { SourceRegion = region.RegionCode, Format = "any length " + c.Format });
        }

        for (var i = 0; i < invalidCount; i++)
        {
            var region = regions[random.Next(regions.Length)];
            cases.Add(Invalid(random, region, random.Next(12)) with { SourceRegion = region.RegionCode });
        }

        return cases;
    }

    private static string RandomNational(Random random, RegionPlan region, bool e164Only = false, bool trunkLeading = false)
    {
        // Valid inputs use the lengths that fit E.164's 15 digits; libphonenumber also knows longer national numbers
        // (internal numbers of a few plans), which no E.164 number can hold.
        var lengths = e164Only ? region.Lengths.Where(l => l + region.CallingCodeText.Length <= 15).ToArray() : region.Lengths;
        var length = lengths[random.Next(lengths.Length)];
        var builder = new StringBuilder(length);
        // A national significant number does not start with the trunk prefix; only regions without one (Italy's
        // landlines, for example) have numbers starting with 0.
        var first = region.NationalPrefix is null ? random.Next(10) : random.Next(1, 10);
        if (trunkLeading && region.NationalPrefix is not null)
        {
            first = region.NationalPrefix[0] - '0';
        }

        while (!trunkLeading && region.NationalPrefix is not null && first == region.NationalPrefix[0] - '0')
        {
            first = random.Next(1, 10);
        }

        builder.Append((char)('0' + first));
        for (var k = 1; k < length; k++)
        {
            builder.Append((char)('0' + random.Next(10)));
        }

        return builder.ToString();
    }

    private static PhoneCorpusCase Format(Random random, RegionPlan region, string national, int format)
    {
        var cc = region.CallingCodeText;
        var trunk = region.NationalPrefix ?? string.Empty;
        var other = DiallingPrefixes[random.Next(DiallingPrefixes.Length)];
        return format switch
        {
            0 => new($"+{cc}{national}", null, "e164"),
            1 => new($"+{cc} {Group(national, ' ', random)}", null, "international spaced"),
            2 => new($"+{cc} ({national[..Math.Min(3, national.Length - 1)]}) {Group(national[Math.Min(3, national.Length - 1)..], '-', random)}", Pick(random, region), "international parentheses"),
            3 => new($"00{cc} {Group(national, ' ', random)}", region.RegionCode, "00 prefix from own region"),
            4 => new($"{other.Prefix} {cc} {Group(national, ' ', random)}", other.Region, "dialled from " + other.Region),
            5 => new($"{trunk}{Group(national, ' ', random)}", region.RegionCode, "national spaced"),
            6 => new($"({trunk}{national[..Math.Min(2, national.Length - 1)]}) {Group(national[Math.Min(2, national.Length - 1)..], '-', random)}", region.RegionCode, "national parentheses"),
            7 => new($"{trunk}{Group(national, '.', random)}", region.RegionCode, "national dots"),
            8 => new(Group(national, ' ', random), region.RegionCode, "national without trunk prefix"),
            9 => new(Unicode(random, $"+{cc} {Group(national, ' ', random)}"), null, "unicode digits international"),
            10 => new(Unicode(random, $"{trunk}{Group(national, '-', random)}"), region.RegionCode, "unicode digits national"),
            11 => new($"whatsapp:+{cc}{national}", null, "whatsapp prefix"),
            12 => new($"tel:+{cc}-{Group(national, '-', random)}", null, "tel prefix"),
            13 => new($"  \u00A0+{cc} {Group(national, ' ', random)}\t ", null, "surrounding white space"),
            14 => new($"{cc} {Group(national, ' ', random)}", region.RegionCode, "calling code without plus"),
            15 => trunk == "0"
                ? new($"+{cc} (0){Group(national, ' ', random)}", null, "international with (0)")
                : new($"+{cc}-{Group(national, '-', random)}", null, "international dashes"),
            16 => new($"\uFF0B{cc}\u3000{Group(national, '\u2010', random)}", null, "full-width plus and unicode separators"),
            _ => new($"+{cc}.{Group(national, '.', random)}", Pick(random, region), "international dots"),
        };
    }

    private static PhoneCorpusCase Invalid(Random random, RegionPlan region, int kind)
    {
        var cc = region.CallingCodeText;
        var national = RandomNational(random, region);
        return kind switch
        {
            0 => new($"+{cc}{national[..Math.Max(1, region.Lengths[0] - 1 - random.Next(3))]}", null, "invalid: too short"),
            1 => new($"+{cc}{national}{random.Next(10, 99999)}", null, "invalid: too long"),
            2 => new($"+{(random.Next(2) == 0 ? "999" : "0")}{national}", null, "invalid: unknown calling code"),
            3 => new($"+{cc} {national} ext. {random.Next(1, 9999)}", null, "invalid: extension"),
            4 => new($"+{cc} {national}x{random.Next(1, 999)}", region.RegionCode, "invalid: x extension"),
            5 => new($"+1-800-FLOWERS", null, "invalid: vanity letters"),
            6 => new(random.Next(3) switch { 0 => string.Empty, 1 => "   ", _ => "whatsapp:" }, region.RegionCode, "invalid: empty"),
            7 => new($"{national}", null, "invalid: national without region"),
            8 => new($"{region.NationalPrefix}{national[..Math.Min(3, national.Length)]}", region.RegionCode, "invalid: national too short"),
            9 => new($"+{cc} {national[..2]}@{national[2..]}", null, "invalid: bad character"),
            10 => new($"{region.NationalPrefix}{national}", "ZZ", "invalid: unknown default region"),
            _ => new($"+{cc}{national}{national}", region.RegionCode, "invalid: doubled"),
        };
    }

    private static string? Pick(Random random, RegionPlan region) => random.Next(3) switch
    {
        0 => null,
        1 => region.RegionCode,
        _ => DiallingPrefixes[random.Next(DiallingPrefixes.Length)].Region,
    };

    private static string Group(string digits, char separator, Random random)
    {
        var builder = new StringBuilder(digits.Length * 2);
        var i = 0;
        while (i < digits.Length)
        {
            var size = Math.Min(digits.Length - i, random.Next(2, 5));
            if (builder.Length > 0)
            {
                builder.Append(separator);
            }

            builder.Append(digits, i, size);
            i += size;
        }

        return builder.ToString();
    }

    private static string Unicode(Random random, string text)
    {
        var zero = DigitZeros[random.Next(DigitZeros.Length)];
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsAsciiDigit(c) ? (char)(zero + (c - '0')) : c);
        }

        return builder.ToString().ToString(CultureInfo.InvariantCulture);
    }
}
