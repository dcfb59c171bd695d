using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Core.Tests.Transport;

public sealed class TwilioApiClientResponseBodyTests
{
    private static readonly Dictionary<string, string> RequestIdHeader = new() { ["Twilio-Request-Id"] = "RQmalformed" };

    [Theory]
    [InlineData("<html>gateway</html>", "not the expected JSON")]
    [InlineData("{\"sid\": ", "not the expected JSON")]
    [InlineData("null", "a JSON null body")]
    public async Task SendAsync_2xxWithABodyThatIsNotTheModel_ThrowsJsonExceptionNamingRouteStatusAndRequestId(string body, string what)
    {
        await using var server = await WireServer.StartAsync(_ => new WireResponse(201, body, RequestIdHeader));
        await using var provider = TransportFixture.Provider(server.BaseUrl);
        var request = new TwilioRequest(HttpMethod.Post, TwilioProduct.Conversations, "/v1/Conversations/CH0123456789abcdef0123456789abcdef/Messages")
        {
            RouteTemplate = "/v1/Conversations/{ConversationSid}/Messages",
        }.AddForm("Body", "hi");

        var exception = await Assert.ThrowsAsync<JsonException>(() => provider.GetRequiredService<TwilioApiClient>().SendAsync(request, TestJsonContext.Default.TestResource));

        Assert.StartsWith("Twilio answered POST /v1/Conversations/{ConversationSid}/Messages with HTTP 201 (the request took effect) and ", exception.Message, StringComparison.Ordinal);
        Assert.Contains(what, exception.Message, StringComparison.Ordinal);
        Assert.EndsWith("; request RQmalformed.", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("CH0123456789abcdef0123456789abcdef", exception.Message, StringComparison.Ordinal);
        Assert.Equal(body != "null", exception.InnerException is JsonException);
        Assert.Equal(1, server.Count); // a 2xx is never retried, whatever its body
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"conversations\": {}}")]
    [InlineData("not json")]
    public async Task ListAsync_2xxPageThatIsNotATwilioPage_ThrowsJsonException(string body)
    {
        await using var server = await WireServer.StartAsync(_ => new WireResponse(200, body, RequestIdHeader));
        await using var provider = TransportFixture.Provider(server.BaseUrl);
        var request = new TwilioRequest(HttpMethod.Get, TwilioProduct.Conversations, "/v1/Conversations") { RouteTemplate = "/v1/Conversations" };

        var exception = await Assert.ThrowsAsync<JsonException>(async () =>
        {
            await foreach (var _ in provider.GetRequiredService<TwilioApiClient>().ListAsync(request, "conversations", TestJsonContext.Default.TestResource))
            {
            }
        });

        Assert.StartsWith("Twilio answered GET /v1/Conversations with HTTP 200 (the request took effect) and a body that is not a Twilio page", exception.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<JsonException>(exception.InnerException);
    }

    [Fact]
    public async Task SendAsync_RequestWithoutRouteTemplate_TagsAndLogsAFixedPlaceholderNotThePath()
    {
        const string Sid = "CHfedcba9876543210fedcba9876543210";
        var path = $"/v1/Conversations/{Sid}/Participants/alice@example.com";
        var stopped = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "OmniChannel.Messaging",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var logs = new CapturingLoggerProvider();
        await using var server = await WireServer.StartAsync(r => r.Index == 0
            ? new WireResponse(503)
            : new WireResponse(404, TransportFixture.Error(20404, "Not found", 404)));
        await using var provider = TransportFixture.Provider(server.BaseUrl, logs: logs);
        using var meters = new MeterCapture(provider);
        var request = new TwilioRequest(HttpMethod.Get, TwilioProduct.Conversations, path);

        await Assert.ThrowsAsync<TwilioApiException>(() => provider.GetRequiredService<TwilioApiClient>().SendAsync(request));

        Assert.Equal(2, server.Count);
        var measurements = new[] { "omnichannel.twilio.requests", "omnichannel.twilio.request.duration", "omnichannel.twilio.retries" }
            .SelectMany(meters.Of).ToList();
        Assert.Equal(5, measurements.Count); // two attempts counted and timed, one retry
        Assert.All(measurements, m => Assert.Equal("(no route template)", m.Tag("url.template")));
        var activity = Assert.Single(stopped, a => Equals(a.GetTagItem("url.template"), "(no route template)") && a.GetTagItem("twilio.attempts") is 2);
        Assert.Equal("Twilio GET (no route template)", activity.DisplayName);

        // Our own log lines (IHttpClientFactory's handlers log the full URI under System.Net.Http.HttpClient.*, see docs/transport.md).
        var ours = logs.Lines.Where(l => l.Split(' ')[1] == "OmniChannel.Messaging.Twilio").ToList();
        Assert.True(ours.Count >= 2, string.Join(Environment.NewLine, logs.Lines)); // attempts, the retry scheduled, the call failed
        Assert.All(ours, l => Assert.Contains("GET (no route template)", l, StringComparison.Ordinal));
        Assert.DoesNotContain(ours, l => l.Contains(Sid, StringComparison.Ordinal) || l.Contains("alice", StringComparison.Ordinal));
        Assert.Equal($"GET Conversations {path}", request.ToString());
    }
}
