using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Testing.Shared;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace OmniChannel.Messaging.Core.Tests.Transport;

public sealed class TwilioApiClientObservabilityTests
{
    private const string Requests = "omnichannel.twilio.requests";
    private const string Duration = "omnichannel.twilio.request.duration";

    private static TwilioRequest UnsafePost(string route) =>
        new TwilioRequest(HttpMethod.Post, TwilioProduct.Api, route) { RouteTemplate = route }.AddForm("Body", "hi");

    private static TwilioRequest Get(string route) => new(HttpMethod.Get, TwilioProduct.Api, route) { RouteTemplate = route };

    internal static async Task<Exception?> Outcome(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (RateLimiterRejectedException exception)
        {
            return exception;
        }
    }

    [Fact]
    public async Task SendAsync_AttemptTimeout_IsCountedTimedAndLoggedAsATimeout()
    {
        var clock = new ManualTimeProvider();
        var logs = new CapturingLoggerProvider();
        await using var server = await WireServer.StartAsync(_ => new WireResponse(201, "{}", Delay: TimeSpan.FromSeconds(30)));
        await using var provider = TransportFixture.Provider(server.BaseUrl, o => o.AttemptTimeout = TimeSpan.FromSeconds(1), s => s.AddSingleton<TimeProvider>(clock), logs);
        using var meters = new MeterCapture(provider);

        var send = provider.GetRequiredService<TwilioApiClient>().SendAsync(UnsafePost("/timeout"));
        await TwilioApiClientRetryTests.WaitUntil(() => server.Count == 1);
        clock.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<TimeoutRejectedException>(() => send.WaitAsync(TimeSpan.FromSeconds(60), TimeProvider.System));

        var request = Assert.Single(meters.Of(Requests));
        Assert.Equal(1, request.Value);
        Assert.Equal("timeout", request.Tag("twilio.outcome"));
        Assert.Equal("timeout", request.Tag("error.type"));
        Assert.Equal("POST", request.Tag("http.request.method"));
        Assert.Equal("/timeout", request.Tag("url.template"));
        Assert.Equal("default", request.Tag("twilio.account"));
        var duration = Assert.Single(meters.Of(Duration));
        Assert.Equal(1.0, duration.Value);
        Assert.Equal("timeout", duration.Tag("twilio.outcome"));

        Assert.Contains(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("[1003]", StringComparison.Ordinal) && l.Contains("POST /timeout attempt 1 failed without an answer after 1000 ms", StringComparison.Ordinal) && l.Contains("attempt timed out", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("[1009]", StringComparison.Ordinal) && l.Contains("POST /timeout failed without an answer from Twilio after 1 attempt(s)", StringComparison.Ordinal) && l.Contains("timed out after 1000 ms", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_TransportFailureThenApiErrorThenSuccess_CountsEveryAttemptWithItsOutcome()
    {
        var handler = new ScriptedFailureHandler(i => i == 0 ? ScriptedFailureHandler.Transport(HttpRequestError.ConnectionError) : null);
        await using var server = await WireServer.StartAsync(r => r.Index == 0 ? new WireResponse(503) : new WireResponse(204));
        await using var provider = TransportFixture.Provider(server.BaseUrl, builder: b => b.ConfigureHttpClient(h => h.AddHttpMessageHandler(() => handler)));
        using var meters = new MeterCapture(provider);

        await provider.GetRequiredService<TwilioApiClient>().SendAsync(Get("/mixed"));

        var requests = meters.Of(Requests);
        Assert.Equal(["transport_failure", "api_error", "success"], requests.Select(m => m.Tag("twilio.outcome")));
        Assert.Equal(["System.Net.Http.HttpRequestException", "503", null], requests.Select(m => m.Tag("error.type")));
        Assert.Equal([null, 503, 204], requests.Select(m => m.Tag("http.response.status_code")));
        Assert.All(requests, m => Assert.Equal("default", m.Tag("twilio.account")));
        var durations = meters.Of(Duration);
        Assert.Equal(["transport_failure", "api_error", "success"], durations.Select(m => m.Tag("twilio.outcome")));
        Assert.All(durations, m => Assert.InRange(m.Value, 0, 60));

        var retries = meters.Of("omnichannel.twilio.retries");
        Assert.Equal(["System.Net.Http.HttpRequestException", "503"], retries.Select(m => m.Tag("error.type")));
        Assert.All(retries, m => Assert.Equal("default", m.Tag("twilio.account")));
        Assert.All(retries, m => Assert.Equal("/mixed", m.Tag("url.template")));
    }

    [Fact]
    public async Task SendAsync_TransportFailureOnEveryAttempt_LogsTheFinalFailure()
    {
        var logs = new CapturingLoggerProvider();
        var handler = new ScriptedFailureHandler(_ => ScriptedFailureHandler.Transport(HttpRequestError.NameResolutionError));
        await using var server = await WireServer.StartAsync(_ => new WireResponse(204));
        await using var provider = TransportFixture.Provider(server.BaseUrl, o => o.Retry.MaxAttempts = 2, logs: logs, builder: b => b.ConfigureHttpClient(h => h.AddHttpMessageHandler(() => handler)));

        await Assert.ThrowsAsync<HttpRequestException>(() => provider.GetRequiredService<TwilioApiClient>().SendAsync(UnsafePost("/dns")));

        Assert.Equal(2, handler.Count);
        Assert.Equal(2, logs.Lines.Count(l => l.Contains("[1003]", StringComparison.Ordinal) && l.Contains("HttpRequestException (NameResolutionError)", StringComparison.Ordinal)));
        var final = Assert.Single(logs.Lines, l => l.Contains("[1009]", StringComparison.Ordinal));
        Assert.Contains("POST /dns failed without an answer from Twilio after 2 attempt(s) (account 'default'): HttpRequestException (NameResolutionError)", final, StringComparison.Ordinal);
        Assert.DoesNotContain("simulated", final, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_CountsTheAttemptAsCancelledWithoutAFailureLog()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await WireServer.StartAsync(_ => new WireResponse(200, "{}", Delay: TimeSpan.FromSeconds(30)));
        await using var provider = TransportFixture.Provider(server.BaseUrl, o => o.Retry.MaxAttempts = 1, logs: logs);
        using var meters = new MeterCapture(provider);
        using var cancellation = new CancellationTokenSource();

        var call = provider.GetRequiredService<TwilioApiClient>().SendAsync(Get("/slow"), cancellation.Token);
        await TwilioApiClientRetryTests.WaitUntil(() => server.Count == 1);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        Assert.Equal("cancelled", Assert.Single(meters.Of(Requests)).Tag("twilio.outcome"));
        Assert.Contains(logs.Lines, l => l.StartsWith("Debug", StringComparison.Ordinal) && l.Contains("[1010]", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("[1003]", StringComparison.Ordinal) || l.Contains("[1009]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CircuitBreaker_OpenHalfOpenClosed_IsCountedAndLogged_AndRefusedCallsToo()
    {
        var clock = new ManualTimeProvider();
        var logs = new CapturingLoggerProvider();
        var failing = true;
        await using var server = await WireServer.StartAsync(_ => Volatile.Read(ref failing) ? new WireResponse(503) : new WireResponse(204));
        await using var provider = TransportFixture.Provider(
            server.BaseUrl,
            o =>
            {
                o.Retry.MaxAttempts = 1;
                o.CircuitBreaker.MinimumThroughput = 2;
                o.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(10);
            },
            s => s.AddSingleton<TimeProvider>(clock),
            logs);
        using var meters = new MeterCapture(provider);
        var client = provider.GetRequiredService<TwilioApiClient>();

        await Assert.ThrowsAsync<TwilioApiException>(() => client.SendAsync(Get("/cb")));
        await Assert.ThrowsAsync<TwilioApiException>(() => client.SendAsync(Get("/cb")));
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.SendAsync(Get("/cb")));
        Assert.Equal(2, server.Count);

        Volatile.Write(ref failing, false);
        clock.Advance(TimeSpan.FromSeconds(10));
        await client.SendAsync(Get("/cb"));

        Assert.Equal(["open", "half_open", "closed"], meters.Of("omnichannel.twilio.circuit_breaker.state_changes").Select(m => m.Tag("twilio.circuit_breaker.state")));
        Assert.All(meters.Of("omnichannel.twilio.circuit_breaker.state_changes"), m => Assert.Equal("default", m.Tag("twilio.account")));
        var refused = Assert.Single(meters.Of("omnichannel.twilio.circuit_breaker.rejections"));
        Assert.Equal("/cb", refused.Tag("url.template"));
        Assert.Equal("default", refused.Tag("twilio.account"));
        Assert.Contains(logs.Lines, l => l.Contains("[1005]", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("[1007]", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("[1006]", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("[1009]", StringComparison.Ordinal) && l.Contains("GET /cb failed without an answer from Twilio after 0 attempt(s) (account 'default'): the circuit is open", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RateLimiter_Rejection_IsCountedAndLogged()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await WireServer.StartAsync(_ => new WireResponse(204));
        await using var provider = TransportFixture.Provider(
            server.BaseUrl,
            o =>
            {
                o.RateLimit.Enabled = true;
                o.RateLimit.PermitsPerSecond = 1;
                o.RateLimit.BurstSize = 1;
                o.RateLimit.QueueLimit = 0;
            },
            logs: logs);
        using var meters = new MeterCapture(provider);
        var client = provider.GetRequiredService<TwilioApiClient>();

        // One permit and no queue, two calls at once: one takes the permit, the other is refused on the spot (the next
        // permit is a second away).
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Outcome(() => client.SendAsync(Get("/limited")))));

        Assert.IsType<RateLimiterRejectedException>(Assert.Single(outcomes, o => o is not null));
        Assert.Equal(1, server.Count);
        var rejection = Assert.Single(meters.Of("omnichannel.twilio.rate_limiter.rejections"));
        Assert.Equal("/limited", rejection.Tag("url.template"));
        Assert.Equal("default", rejection.Tag("twilio.account"));
        Assert.Contains(logs.Lines, l => l.Contains("[1008]", StringComparison.Ordinal) && l.Contains("GET /limited attempt 1 refused by the client-side rate limiter", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("[1009]", StringComparison.Ordinal) && l.Contains("the rate limiter's queue is full", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_ActivityListener_SeesOneClientActivityPerCallWithItsTags()
    {
        var route = "/activity/" + Guid.NewGuid().ToString("N");
        var stopped = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "OmniChannel.Messaging",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await WireServer.StartAsync(r => r.Index == 0
            ? new WireResponse(503)
            : new WireResponse(404, TransportFixture.Error(20404, "Not found", 404), new Dictionary<string, string> { ["X-Twilio-Request-Id"] = "RQactivity" }));
        await using var provider = TransportFixture.Provider(server.BaseUrl);

        await Assert.ThrowsAsync<TwilioApiException>(() => provider.GetRequiredService<TwilioApiClient>().SendAsync(Get(route)));

        var activity = Assert.Single(stopped, a => Equals(a.GetTagItem("url.template"), route));
        Assert.Equal($"Twilio GET {route}", activity.DisplayName);
        Assert.Equal(ActivityKind.Client, activity.Kind);
        Assert.Equal(ActivityStatusCode.Error, activity.Status);
        Assert.Equal("GET", activity.GetTagItem("http.request.method"));
        Assert.Equal("127.0.0.1", activity.GetTagItem("server.address"));
        Assert.Equal("default", activity.GetTagItem("twilio.account"));
        Assert.Equal(404, activity.GetTagItem("http.response.status_code"));
        Assert.Equal(2, activity.GetTagItem("twilio.attempts"));
        Assert.Equal(20404, activity.GetTagItem("twilio.error_code"));
        Assert.Equal("RQactivity", activity.GetTagItem("twilio.request_id"));
        Assert.Equal("404", activity.GetTagItem("error.type"));
    }
}
