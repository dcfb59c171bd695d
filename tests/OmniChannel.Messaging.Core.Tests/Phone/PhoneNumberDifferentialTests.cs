using System.Globalization;
using System.Text;
using Xunit.Abstractions;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OmniChannel.Messaging.Core.Tests.Phone;

/// <summary>Compares the built-in normalizer with google-libphonenumber (npm) on a generated corpus.</summary>
public sealed class PhoneNumberDifferentialTests(ITestOutputHelper output)
{
    private const PhoneNumberParseOptions Lenient = PhoneNumberParseOptions.AllowVanityLetters | PhoneNumberParseOptions.DropExtension | PhoneNumberParseOptions.AllowLocalOnly;

    [Theory]
    [InlineData(20261123)]
    [InlineData(42)]
    [InlineData(7919)]
    public async Task TryNormalize_GeneratedCorpus_AgreesWithLibPhoneNumber(int seed)
    {
        var corpus = PhoneNumberCorpus.Generate(seed, validCount: 3000, invalidCount: 700, trunkLeadingCount: 600, anyLengthCount: 300);
        var regions = corpus.Select(c => c.SourceRegion).Distinct().Count();
        var callingCodes = corpus.Where(c => !c.Format.StartsWith("invalid", StringComparison.Ordinal))
            .Select(c => PhoneNumber.TryParse(c.Input, c.Region, Lenient, out var n, out _) ? n.CountryCallingCode : 0)
            .Where(code => code != 0).Distinct().Count();
        var formats = corpus.Select(c => c.Format).Distinct().Count();
        var oracle = await RunOracleAsync(corpus);

        var report = new StringBuilder();
        var possible = 0;
        var subsetPossible = new int[3];
        var subsetAgree = new int[3];
        var possibleAgree = 0;
        var acceptAgree = 0;
        var acceptedWhereRejected = 0;
        var over15Digits = 0;
        var otherMisses = new List<string>();
        var conflicts = new List<string>();
        var disagreements = new Dictionary<string, List<string>>();
        for (var i = 0; i < corpus.Count; i++)
        {
            var c = corpus[i];
            var lib = oracle[i];
            var lenient = PhoneNumber.TryParse(c.Input, c.Region, Lenient, out var number, out var error);
            var strict = PhoneNumber.TryParse(c.Input, c.Region, PhoneNumberParseOptions.None, out var strictNumber, out _);
            var libAccepts = lib.Ok && lib.Possible;
            if (lenient == libAccepts)
            {
                acceptAgree++;
            }

            var agrees = lenient && number.ToString() == lib.E164;
            if (libAccepts)
            {
                possible++;
                possibleAgree += agrees ? 1 : 0;
                var subset = c.Format.StartsWith("trunk-leading", StringComparison.Ordinal) ? 1 : c.Format.StartsWith("any length", StringComparison.Ordinal) ? 2 : 0;
                subsetPossible[subset]++;
                subsetAgree[subset] += agrees ? 1 : 0;
            }

            if (libAccepts && !agrees)
            {
                if (lib.E164!.Length > 16)
                {
                    over15Digits++;
                }
                else
                {
                    otherMisses.Add($"'{c.Input}' ({c.Region ?? "-"}): ours {(lenient ? number.ToString() : error!.Message)}, libphonenumber {lib.E164}");
                }
            }

            foreach (var (accepted, mine, mode) in new[] { (lenient, number, "lenient"), (strict, strictNumber, "strict") })
            {
                if (accepted && lib.Ok && mine.ToString() != lib.E164)
                {
                    conflicts.Add($"{mode}: '{c.Input}' region {c.Region ?? "-"}: ours {mine}, libphonenumber {lib.E164}");
                }
            }

            if (lenient && !lib.Ok)
            {
                acceptedWhereRejected++;
            }

            if (lenient != libAccepts || (lenient && number.ToString() != lib.E164))
            {
                var key = $"{c.Format}: ours {(lenient ? "accepts" : error!.Reason.ToString())}, libphonenumber {(lib.Ok ? (lib.Possible ? "possible" : "parses, not possible") : lib.Error)}";
                if (!disagreements.TryGetValue(key, out var list))
                {
                    disagreements[key] = list = [];
                }

                list.Add($"'{c.Input}' ({c.Region ?? "-"}) ours {(lenient ? number.ToString() : "-")} lib {lib.E164 ?? "-"}");
            }
        }

        var possibleRate = 100.0 * possibleAgree / possible;
        var acceptRate = 100.0 * acceptAgree / corpus.Count;
        string[] subsetNames = ["plain valid and invalid inputs", "national numbers starting with the trunk-prefix digit", "any length libphonenumber knows (also over 15 digits)"];
        report.AppendLine(CultureInfo.InvariantCulture, $"corpus: {corpus.Count} inputs (seed {seed}) from {regions} regions, {callingCodes} calling codes, {formats} formats");
        report.AppendLine(CultureInfo.InvariantCulture, $"E.164 agreement where libphonenumber's isPossibleNumber is true (all of them, local-only included): {possibleAgree}/{possible} = {possibleRate:F2}%");
        for (var k = 0; k < 3; k++)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"  {subsetNames[k]}: {subsetAgree[k]}/{subsetPossible[k]} = {100.0 * subsetAgree[k] / Math.Max(1, subsetPossible[k]):F2}%");
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"possible for libphonenumber but rejected here: {over15Digits} with an E.164 form over 15 digits, {otherMisses.Count} other");
        report.AppendLine(CultureInfo.InvariantCulture, $"accept/reject agreement (ours vs parse+isPossibleNumber): {acceptAgree}/{corpus.Count} = {acceptRate:F2}%");
        report.AppendLine(CultureInfo.InvariantCulture, $"accepted by us, rejected by libphonenumber's parse: {acceptedWhereRejected}");
        report.AppendLine(CultureInfo.InvariantCulture, $"accepted with an E.164 different from libphonenumber's: {conflicts.Count}");
        foreach (var (key, list) in disagreements.OrderByDescending(d => d.Value.Count))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"  {list.Count,5} × {key}; e.g. {string.Join(" | ", list.Take(3))}");
        }

        output.WriteLine(report.ToString());
        Console.WriteLine(report.ToString());
        Assert.True(corpus.Count >= 2000, "The corpus must hold at least 2,000 inputs.");
        Assert.True(regions >= 60, $"The corpus covers only {regions} regions.");
        Assert.True(conflicts.Count == 0, "Accepted inputs whose E.164 differs from libphonenumber's:\n" + string.Join('\n', conflicts.Take(50)));
        Assert.True(otherMisses.Count == 0, "Possible numbers rejected outside the documented categories:\n" + string.Join('\n', otherMisses.Take(50)));
        Assert.True(possibleRate >= 99.5, $"E.164 agreement {possibleRate:F2}% over every input libphonenumber finds possible is under 99.5%.\n{report}");
    }

    private static async Task<IReadOnlyList<OracleResult>> RunOracleAsync(IReadOnlyList<PhoneCorpusCase> corpus)
    {
        var request = JsonSerializer.Serialize(corpus.Select(c => new OracleCase(c.Input, c.Region)).ToList(), OracleJson.Default.ListOracleCase);
        var response = await OracleRunner.RunAsync("libphonenumber-oracle.js", request);
        var results = JsonSerializer.Deserialize(response, OracleJson.Default.ListOracleResult)
            ?? throw new InvalidOperationException("The oracle returned no results.");
        Assert.Equal(corpus.Count, results.Count);
        return results;
    }
}

internal sealed record OracleCase(
    [property: JsonPropertyName("input")] string Input,
    [property: JsonPropertyName("region")] string? Region);

internal sealed record OracleResult(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("e164")] string? E164,
    [property: JsonPropertyName("possible")] bool Possible,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("error")] string? Error);

[JsonSerializable(typeof(List<OracleCase>))]
[JsonSerializable(typeof(List<OracleResult>))]
internal sealed partial class OracleJson : JsonSerializerContext;
