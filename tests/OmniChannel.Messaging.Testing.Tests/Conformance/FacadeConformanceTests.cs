using System.Reflection;
using System.Runtime.CompilerServices;
using OmniChannel.Messaging.Conversations;
using OmniChannel.Messaging.Sms;
using OmniChannel.Messaging.WhatsApp;
using Xunit.Abstractions;

namespace OmniChannel.Messaging.Testing.Tests.Conformance;

/// <summary>
/// The recording conformance suite: each scenario drives a real facade against the emulator, records every HTTP request
/// the SDK sent, and replays each one to Prism (Twilio's strict OpenAPI contract). The emulator must accept the call and
/// Prism every recorded request, so neither the SDK nor the emulator can drift from the real API.
/// </summary>
public sealed class FacadeConformanceTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, Task<Recording>> Recordings = new(StringComparer.Ordinal);
    private static readonly Lock RecordingsGate = new();

    private static readonly Type[] FacadeInterfaces = [typeof(IConversationsClient), typeof(ISmsClient), typeof(IWhatsAppClient)];
    private static readonly Type[] FacadeClasses = [typeof(InboundConversationRouter)];

    public static TheoryData<string> ScenarioNames() => new(FacadeScenarios.All.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public async Task Scenario_Emulator_AcceptsEveryRequestTheFacadeSends(string name)
    {
        var scenario = FacadeScenarios.Find(name);

        var recording = await RecordAsync(scenario);

        Assert.True(recording.Failure is null, $"'{name}' failed against the emulator: {recording.Failure}\n{recording.Describe()}");
        if (scenario.SendsNoRequest)
        {
            Assert.True(recording.Exchanges.Count == 0, $"'{name}' is marked as sending nothing, yet it sent:\n{recording.Describe()}");
            return;
        }

        Assert.True(recording.Exchanges.Count > 0, $"'{name}' sent no request.");
        foreach (var exchange in recording.Exchanges)
        {
            var tolerated = exchange.Status is >= 200 and < 300 or 409
                || (exchange.Status is >= 400 and < 500 && exchange.TwilioCode is { } code && scenario.ToleratedErrorCodes.Contains(code));
            Assert.True(tolerated, $"The emulator rejected a request of '{name}': {exchange}");
        }
    }

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public async Task Scenario_Prism_AcceptsEveryRecordedRequest(string name)
    {
        var (conversationsUrl, apiUrl) = ConformanceTargets.RequirePrism();
        var recording = await RecordAsync(FacadeScenarios.Find(name));
        Assert.True(recording.Failure is null, $"'{name}' failed against the emulator, so its requests were not all recorded: {recording.Failure}");
        using var http = new HttpClient();

        foreach (var exchange in recording.Exchanges)
        {
            var target = exchange.Path.StartsWith("/2010-04-01/", StringComparison.Ordinal) ? apiUrl : conversationsUrl;
            var result = await exchange.ReplayAsync(http, target);

            Assert.True(result.IsAcceptedByPrism, $"Prism rejected a request of '{name}'.\nRequest: {exchange.Method} {exchange.PathAndQuery} [{exchange.Body}] {string.Join(", ", exchange.Headers.Select(h => h.Key + ": " + h.Value))}\nPrism: {result}");
        }
    }

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public async Task Scenario_EmulatorResponses_CarryExactlyTheSpecsFields(string name)
    {
        var recording = await RecordAsync(FacadeScenarios.Find(name));
        Assert.True(recording.Failure is null, $"'{name}' failed against the emulator: {recording.Failure}");

        foreach (var exchange in recording.Exchanges.Where(e => e.Status is >= 200 and < 300 && e.ResponseBody.Length > 0))
        {
            var match = SpecDriftTests.Match(exchange.Method, exchange.Path);
            Assert.True(match is not null, $"The emulator served {exchange.Method} {exchange.Path}, which the pinned spec does not have.");
            var (specPath, operation) = match.Value;
            var schema = SpecDriftTests.Resolve(specPath, operation.GetProperty("responses").GetProperty(exchange.Status.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .GetProperty("content").GetProperty("application/json").GetProperty("schema"));
            using var body = System.Text.Json.JsonDocument.Parse(exchange.ResponseBody);
            var problems = new List<string>();
            CompareFields(specPath, schema, body.RootElement, "", problems);
            Assert.True(problems.Count == 0, $"The emulator's answer to {exchange.Method} {exchange.Path} differs from the spec's {specPath} response:\n  {string.Join("\n  ", problems)}");
        }
    }

    [Fact]
    public void Catalogue_CoversEveryPublicFacadeMethodAndExtension()
    {
        var methods = FacadeMethodKeys();
        var covered = FacadeScenarios.All.Select(s => s.Method).ToHashSet(StringComparer.Ordinal);

        var missing = methods.Where(m => !covered.Contains(m)).ToList();
        var unknown = covered.Where(m => !methods.Contains(m)).ToList();

        Assert.True(missing.Count == 0, "These public facade methods have no conformance scenario; add one line per variant to " +
            "tests/OmniChannel.Messaging.Testing.Tests/Conformance/FacadeScenarios.cs:\n  " + string.Join("\n  ", missing));
        Assert.True(unknown.Count == 0, "These scenarios name methods that do not exist (renamed or removed?):\n  " + string.Join("\n  ", unknown));
    }

    [Fact]
    public void FacadeMethodKeys_FindInterfaceMethodsExtensionsAndOverloads()
    {
        var keys = FacadeMethodKeys();

        Assert.Contains("IConversationsClient.EnsureParticipantAsync", keys);
        Assert.Contains("ISmsClient.GetAsync", keys);
        Assert.Contains("IWhatsAppClient.GetWindowAsync", keys);
        Assert.Contains("ConversationsClientExtensions.CloseAsync", keys);
        Assert.Contains("SmsClientExtensions.SendManyAsync", keys);
        Assert.Contains("WhatsAppClientExtensions.SendAsync(String, String)", keys);
        Assert.Contains("WhatsAppClientExtensions.SendAsync(String, String, WhatsAppTemplate)", keys);
        Assert.Contains("InboundConversationRouter.RouteAsync(InboundConversationMessage)", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("InboundConversationRouter.UniqueNameFor", StringComparison.Ordinal));

        // TenantUniqueName is static but extends nothing: it builds a string and sends no request.
        Assert.DoesNotContain("ConversationsClientExtensions.TenantUniqueName", keys);
        Assert.All(typeof(IConversationsClient).GetMethods(), m => Assert.Contains(keys, k => k.StartsWith("IConversationsClient." + m.Name, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Catalogue_RecordsRequestShapesForEveryFacade()
    {
        var recordings = await Task.WhenAll(FacadeScenarios.All.Select(async s => (Scenario: s, Recording: await RecordAsync(s))));

        foreach (var facade in recordings.GroupBy(r => r.Scenario.Facade).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var requests = facade.SelectMany(r => r.Recording.Exchanges).ToList();
            var shapes = requests.Select(e => e.Shape).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            output.WriteLine($"{facade.Key}: {facade.Count()} scenarios, {requests.Count} requests, {shapes.Count} distinct request shapes");
            foreach (var shape in shapes)
            {
                output.WriteLine("  " + shape);
            }

            Assert.NotEmpty(shapes);
        }

        Assert.Equal(["Conversations", "Sms", "WhatsApp"], recordings.Select(r => r.Scenario.Facade).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Gets <c>Type.Method</c> for every public method of the three client interfaces and of every public static class of
    /// their assemblies that extends them; overloads within one type get their parameter types (without the extended client
    /// and the cancellation token), for example <c>WhatsAppClientExtensions.SendAsync(String, String, WhatsAppTemplate)</c>.
    /// </summary>
    internal static HashSet<string> FacadeMethodKeys()
    {
        var extensions = FacadeInterfaces.Select(i => i.Assembly).Distinct()
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => t.IsAbstract && t.IsSealed)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.IsDefined(typeof(ExtensionAttribute), false) && FacadeInterfaces.Contains(m.GetParameters()[0].ParameterType));
        // Classes built on the clients that make calls of their own (the inbound router): their public async methods count too.
        var helpers = FacadeClasses.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType));
        var methods = FacadeInterfaces.SelectMany(i => i.GetMethods()).Concat(extensions).Concat(helpers).ToList();
        return methods.Select(m =>
            {
                var type = m.DeclaringType!;
                var overloaded = methods.Count(o => o.DeclaringType == type && o.Name == m.Name) > 1;
                if (!overloaded)
                {
                    return $"{type.Name}.{m.Name}";
                }

                var parameters = m.GetParameters()
                    .Where(p => p.ParameterType != typeof(CancellationToken) && !(p.Position == 0 && m.IsStatic))
                    .Select(p => p.ParameterType.Name);
                return $"{type.Name}.{m.Name}({string.Join(", ", parameters)})";
            })
            .ToHashSet(StringComparer.Ordinal);
    }

    // Each scenario runs once per test run; its emulator test and its Prism test share the recording.
    // Compares an answer's field names with the schema's: the object itself, each inline object with properties, and the
    // first item of each array of objects.
    private static void CompareFields(string specPath, System.Text.Json.JsonElement schema, System.Text.Json.JsonElement value, string at, List<string> problems)
    {
        if (!schema.TryGetProperty("properties", out var properties) || value.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            return;
        }

        var expected = properties.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var actual = value.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(expected.Except(actual).Order(StringComparer.Ordinal).Select(f => $"missing {at}{f}"));
        problems.AddRange(actual.Except(expected).Order(StringComparer.Ordinal).Select(f => $"not in the spec: {at}{f}"));
        foreach (var property in properties.EnumerateObject())
        {
            if (!value.TryGetProperty(property.Name, out var field))
            {
                continue;
            }

            var fieldSchema = SpecDriftTests.Resolve(specPath, property.Value);
            if (field.ValueKind == System.Text.Json.JsonValueKind.Array && fieldSchema.TryGetProperty("items", out var items) && field.GetArrayLength() > 0)
            {
                CompareFields(specPath, SpecDriftTests.Resolve(specPath, items), field[0], $"{at}{property.Name}[0].", problems);
            }
            else if (field.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                CompareFields(specPath, fieldSchema, field, $"{at}{property.Name}.", problems);
            }
        }
    }

    private static Task<Recording> RecordAsync(FacadeScenario scenario)
    {
        lock (RecordingsGate)
        {
            if (!Recordings.TryGetValue(scenario.Name, out var recording))
            {
                recording = Task.Run(() => RunAsync(scenario));
                Recordings[scenario.Name] = recording;
            }

            return recording;
        }
    }

    private static async Task<Recording> RunAsync(FacadeScenario scenario)
    {
        await using var context = await ScenarioContext.StartAsync(scenario.Scope, scenario.SynchronousChannelErrors);
        try
        {
            await scenario.Run(context);
            return new Recording(context.Sink.Exchanges, null);
        }
        catch (Exception exception)
        {
            return new Recording(context.Sink.Exchanges, exception);
        }
    }

    private sealed record Recording(IReadOnlyList<RecordedExchange> Exchanges, Exception? Failure)
    {
        public string Describe() => "Requests sent:\n  " + string.Join("\n  ", Exchanges);
    }
}
