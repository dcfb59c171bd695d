namespace OmniChannel.Messaging.Testing.Tests.Conformance;

/// <summary>
/// The strict spec's own checks (a misspelt field gets 422, <c>MediaUrl</c> passes with one or two values) and the
/// hand-written invalid requests, which Prism and the emulator must both reject. The SDK's valid request shapes are
/// recorded from the facades and checked in <see cref="FacadeConformanceTests"/>. Needs the Prism mocks that ./build.sh test starts.
/// </summary>
public sealed class ConformanceTests
{
    public static TheoryData<string> ShapeNames() => new(RequestShapes.All.Select(s => s.Name));

    [Fact]
    public async Task Prism_MisspeltMessagingBindingAddress_Returns422()
    {
        var result = await ConformanceTargets.SendToPrismAsync(RequestShapes.Find("invalid.participant.misspeltAddress"));

        Assert.True(result.Status == 422, result.ToString());
        Assert.Contains("MessagingBinding.Adress", result.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mms.create.one")]
    [InlineData("mms.create.two")]
    public async Task Prism_MediaUrlOneOrTwoValues_Accepted(string shape)
    {
        var result = await ConformanceTargets.SendToPrismAsync(RequestShapes.Find(shape));

        Assert.True(result.Status == 201, result.ToString());
    }

    [Theory]
    [MemberData(nameof(ShapeNames))]
    public async Task Shape_Prism_AcceptsValidAndRejectsInvalidWith422(string name)
    {
        var shape = RequestShapes.Find(name);

        var result = await ConformanceTargets.SendToPrismAsync(shape);

        if (shape.IsValid)
        {
            Assert.True(result.IsAcceptedByPrism, $"Prism rejected the SDK's '{name}' request: {result}");
        }
        else
        {
            Assert.True(result.Status == 422, $"Prism did not reject '{name}' with 422: {result}");
        }
    }

    [Theory]
    [MemberData(nameof(ShapeNames))]
    public async Task Shape_Emulator_AcceptsWhatPrismAcceptsAndRejectsWhatPrismRejects(string name)
    {
        var shape = RequestShapes.Find(name);

        var prism = await ConformanceTargets.SendToPrismAsync(shape);
        var emulator = await ConformanceTargets.SendToEmulatorAsync(shape);

        if (prism.Status == 422)
        {
            // Twilio's answer to a request its contract refuses: 400 with 20001 (invalid parameter) or 21604 (a required
            // parameter missing); any other 4xx would mean the request never reached the emulator's checks.
            Assert.True(emulator.Status == 400, $"Prism rejects '{name}' ({prism}) but the emulator answered {emulator}");
            using var error = System.Text.Json.JsonDocument.Parse(emulator.Body);
            Assert.Contains(error.RootElement.GetProperty("code").GetInt32(), new[] { 20001, 21604 });
        }
        else
        {
            Assert.True(prism.IsAcceptedByPrism, $"Prism answered '{name}' with {prism}");
            Assert.True(emulator.IsSuccess, $"Prism accepts '{name}' but the emulator answered {emulator}");
        }
    }

    [Theory]
    [InlineData("MessagingBinding.Address", 201)]
    [InlineData("MessagingBinding.Adress", 422)]
    public async Task Replay_RecordedParticipantCreate_ReachesPrismsValidation(string field, int expected)
    {
        var (conversations, _) = ConformanceTargets.RequirePrism();
        var exchange = new RecordedExchange(
            "POST",
            "/v1/Conversations/CH0123456789abcdef0123456789abcdef/Participants",
            [new("X-Twilio-Webhook-Enabled", "true")],
            "application/x-www-form-urlencoded",
            $"{Uri.EscapeDataString(field)}=%2B14155550100&MessagingBinding.ProxyAddress=%2B14155551234",
            201,
            "{}");
        using var http = new HttpClient();

        var result = await exchange.ReplayAsync(http, conversations);

        Assert.True(result.Status == expected, result.ToString());
    }
}
