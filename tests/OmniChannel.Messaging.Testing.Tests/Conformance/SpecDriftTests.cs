using System.Text.Json;
using OmniChannel.Messaging.Testing.Internal;

namespace OmniChannel.Messaging.Testing.Tests.Conformance;

/// <summary>
/// Compares the emulator's hand-written request schemas with the pinned OpenAPI specs (@twilio-alpha/mcp@0.7.0, fetched by
/// ./build.sh into .tools/twilio-specs): a form field or a PageSize the spec does not allow would let the emulator accept
/// what Twilio refuses, and a field it lacks would make it refuse what Twilio accepts.
/// </summary>
public sealed class SpecDriftTests
{
    private static readonly Lazy<JsonDocument> ConversationsSpec = new(() => Load("twilio_conversations_v1.json"));
    private static readonly Lazy<JsonDocument> ApiSpec = new(() => Load("twilio_api_v2010.json"));

    public static TheoryData<string, string> FormEndpoints()
    {
        var data = new TheoryData<string, string>();
        foreach (var (method, specPath, _) in Schemas.FormEndpoints)
        {
            data.Add(method, specPath);
        }

        return data;
    }

    public static TheoryData<string> ListEndpoints() => new(Schemas.ListEndpoints.Select(e => e.SpecPath));

    [Theory]
    [MemberData(nameof(FormEndpoints))]
    public void FormEndpoint_AcceptsExactlyTheFieldsOfThePinnedSpec(string method, string specPath)
    {
        var emulator = Schemas.FormEndpoints.Single(e => e.Method == method && e.SpecPath == specPath).Schema.FieldNames.ToHashSet(StringComparer.Ordinal);

        var spec = Operation(specPath, method).GetProperty("requestBody").GetProperty("content").GetProperty("application/x-www-form-urlencoded")
            .GetProperty("schema").GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

        var extra = emulator.Except(spec).Order(StringComparer.Ordinal).ToList();
        var missing = spec.Except(emulator).Order(StringComparer.Ordinal).ToList();
        Assert.True(extra.Count == 0, $"The emulator accepts {string.Join(", ", extra)} on {method.ToUpperInvariant()} {specPath}, which the pinned spec lacks (Prism answers 422).");
        Assert.True(missing.Count == 0, $"The emulator rejects {string.Join(", ", missing)} on {method.ToUpperInvariant()} {specPath}, which the pinned spec allows.");
    }

    [Theory]
    [MemberData(nameof(FormEndpoints))]
    public void FormEndpoint_FieldTypesEnumsAndSidPrefixesAreThePinnedSpecs(string method, string specPath)
    {
        var properties = Operation(specPath, method).GetProperty("requestBody").GetProperty("content").GetProperty("application/x-www-form-urlencoded")
            .GetProperty("schema").GetProperty("properties");
        var problems = new List<string>();
        foreach (var field in Schemas.FormEndpoints.Single(e => e.Method == method && e.SpecPath == specPath).Schema.Fields)
        {
            if (!properties.TryGetProperty(field.Name, out var property))
            {
                continue; // reported by FormEndpoint_AcceptsExactlyTheFieldsOfThePinnedSpec
            }

            var spec = Resolve(specPath, property);
            var isArray = spec.TryGetProperty("type", out var type) && type.GetString() == "array";
            var item = isArray ? Resolve(specPath, spec.GetProperty("items")) : spec;
            var specEnum = item.TryGetProperty("enum", out var values) ? values.EnumerateArray().Select(v => v.GetString()!).Order(StringComparer.Ordinal).ToList() : null;
            var emulatorEnum = field.Values?.Order(StringComparer.Ordinal).ToList();
            if (specEnum is not null || field.Kind == FieldKind.Enum)
            {
                if (specEnum is null || emulatorEnum is null || !specEnum.SequenceEqual(emulatorEnum, StringComparer.Ordinal))
                {
                    problems.Add($"{field.Name}: the spec allows [{string.Join(", ", specEnum ?? [])}], the emulator [{string.Join(", ", emulatorEnum ?? [])}]");
                }

                continue;
            }

            var itemType = item.TryGetProperty("type", out var t) ? t.GetString() : null;
            var format = item.TryGetProperty("format", out var f) ? f.GetString() : null;
            var pattern = item.TryGetProperty("pattern", out var p) ? p.GetString() : null;
            var expected = (itemType, format, isArray) switch
            {
                ("boolean", _, _) => FieldKind.Boolean,
                ("integer", _, _) => FieldKind.Integer,
                ("number", _, _) => FieldKind.Number,
                ("string", "uri", false) => FieldKind.Uri,
                ("string", "uri", true) => FieldKind.UriArray,
                ("string", "date-time", _) => FieldKind.DateTime,
                ("string", _, true) => FieldKind.TextArray,
                _ when pattern is not null && System.Text.RegularExpressions.Regex.IsMatch(pattern, "^\\^[A-Z]{2}\\[") => FieldKind.Sid,
                _ => FieldKind.Text,
            };
            if (field.Kind != expected)
            {
                problems.Add($"{field.Name}: the spec makes it {expected} ({itemType}{(format is null ? "" : ", " + format)}{(pattern is null ? "" : ", " + pattern)}), the emulator checks it as {field.Kind}");
            }
            else if (expected == FieldKind.Sid && !pattern!.StartsWith("^" + field.Prefix, StringComparison.Ordinal))
            {
                problems.Add($"{field.Name}: the spec's pattern is {pattern}, the emulator checks the prefix {field.Prefix}");
            }
        }

        Assert.True(problems.Count == 0, $"{method.ToUpperInvariant()} {specPath} checks fields differently from the pinned spec:\n  " + string.Join("\n  ", problems));
    }

    [Theory]
    [MemberData(nameof(ListEndpoints))]
    public void ListEndpoint_PageSizeMaximumIsThePinnedSpecs(string specPath)
    {
        var emulator = Schemas.ListEndpoints.Single(e => e.SpecPath == specPath).MaxPageSize;

        var pageSize = Operation(specPath, "get").GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "PageSize" && p.GetProperty("in").GetString() == "query");

        Assert.Equal(pageSize.GetProperty("schema").GetProperty("maximum").GetInt32(), emulator);
    }

    [Fact]
    public void CreateMessage_FallbackFromIsNotInThePinnedSpec()
    {
        // The newer spec copies have FallbackFrom (SMS fallback for RCS); 0.7.0 does not, so Prism refuses it and so must the emulator.
        var properties = Operation("/2010-04-01/Accounts/{AccountSid}/Messages.json", "post").GetProperty("requestBody").GetProperty("content")
            .GetProperty("application/x-www-form-urlencoded").GetProperty("schema").GetProperty("properties");

        Assert.False(properties.TryGetProperty("FallbackFrom", out _));
        Assert.DoesNotContain("FallbackFrom", Schemas.CreateMessage.FieldNames);
    }

    /// <summary>Finds the spec operation a concrete request path belongs to, or <see langword="null"/>.</summary>
    internal static (string SpecPath, JsonElement Operation)? Match(string method, string path)
    {
        var spec = path.StartsWith("/2010-04-01/", StringComparison.Ordinal) ? ApiSpec.Value : ConversationsSpec.Value;
        foreach (var candidate in spec.RootElement.GetProperty("paths").EnumerateObject())
        {
            var pattern = "^" + System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Escape(candidate.Name), @"\\\{[A-Za-z]+}", "[^/]+") + "$";
            if (System.Text.RegularExpressions.Regex.IsMatch(path, pattern, System.Text.RegularExpressions.RegexOptions.CultureInvariant)
                && candidate.Value.TryGetProperty(method.ToLowerInvariant(), out var operation))
            {
                return (candidate.Name, operation);
            }
        }

        return null;
    }

    /// <summary>Gets the property names of a response schema, following a <c>$ref</c> into the components.</summary>
    internal static JsonElement Resolve(string specPath, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var spec = specPath.StartsWith("/2010-04-01/", StringComparison.Ordinal) ? ApiSpec.Value : ConversationsSpec.Value;
            var name = reference.GetString()!["#/components/schemas/".Length..];
            return spec.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }

        return schema;
    }

    private static JsonElement Operation(string specPath, string method)
    {
        var spec = specPath.StartsWith("/2010-04-01/", StringComparison.Ordinal) ? ApiSpec.Value : ConversationsSpec.Value;
        Assert.True(spec.RootElement.GetProperty("paths").TryGetProperty(specPath, out var path), $"The pinned spec has no path {specPath}.");
        Assert.True(path.TryGetProperty(method, out var operation), $"The pinned spec has no {method.ToUpperInvariant()} {specPath}.");
        return operation;
    }

    private static JsonDocument Load(string file)
    {
        var directory = Environment.GetEnvironmentVariable("OMNICHANNEL_TWILIO_SPECS_DIR");
        if (string.IsNullOrEmpty(directory))
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "OmniChannel.Messaging.sln")))
            {
                root = root.Parent;
            }

            directory = root is null ? string.Empty : Path.Combine(root.FullName, ".tools", "twilio-specs", "spec");
        }

        var path = Path.Combine(directory, file);
        if (!File.Exists(path))
        {
            Assert.Fail($"Twilio's OpenAPI spec {file} is not at {path}. Run ./build.sh test: it fetches @twilio-alpha/mcp@0.7.0 into .tools/twilio-specs.");
        }

        using var stream = File.OpenRead(path);
        return JsonDocument.Parse(stream);
    }
}
