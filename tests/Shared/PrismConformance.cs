using System.Collections.Concurrent;
using System.Text.Json;

namespace OmniChannel.Messaging.Testing.Shared;

/// <summary>
/// Points a facade at the Prism mocks of Twilio's strict OpenAPI specs (started by ./build.sh test) and records every
/// answer, so a test can drive real facade calls and then assert that Prism found nothing wrong with any request.
/// </summary>
internal sealed class PrismConformance : DelegatingHandler
{
    public const string ConversationsVariable = "OMNICHANNEL_PRISM_CONVERSATIONS_URL";
    public const string ApiVariable = "OMNICHANNEL_PRISM_API_URL";

    public ConcurrentQueue<(string Request, int Status, string Body)> Exchanges { get; } = new();

    /// <summary>Gets the Prism base URLs, failing the test (never skipping it) when the mocks are not running.</summary>
    public static (Uri Conversations, Uri Api) RequirePrism()
    {
        var conversations = Environment.GetEnvironmentVariable(ConversationsVariable);
        var api = Environment.GetEnvironmentVariable(ApiVariable);
        if (string.IsNullOrEmpty(conversations) || string.IsNullOrEmpty(api))
        {
            Assert.Fail($"The Prism mocks are not running ({ConversationsVariable} / {ApiVariable} are not set). Run the tests with ./build.sh test, which starts them.");
        }

        return (new Uri(conversations), new Uri(api));
    }

    /// <summary>Fails when Prism rejected any request: a 422, or a 500 whose violations concern the request.</summary>
    public void AssertNoRequestViolations()
    {
        Assert.NotEmpty(Exchanges);
        var rejected = Exchanges.Where(e => e.Status == 422 || (e.Status == 500 && HasRequestViolation(e.Body))).ToList();
        Assert.True(rejected.Count == 0, "Prism rejected requests:\n" + string.Join("\n", rejected.Select(e => $"{e.Request} -> {e.Status}: {e.Body}")));
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var form = request.Content is null ? string.Empty : " " + await request.Content.ReadAsStringAsync(cancellationToken);
        Exchanges.Enqueue(($"{request.Method} {request.RequestUri?.PathAndQuery}{form}", (int)response.StatusCode, body));
        return response;
    }

    private static bool HasRequestViolation(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return !document.RootElement.TryGetProperty("validation", out var violations)
                || violations.EnumerateArray().Any(v => v.GetProperty("location")[0].GetString() != "response");
        }
        catch (JsonException)
        {
            return true;
        }
    }
}
