using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OmniChannel.Messaging.Testing.Shared;
using OmniChannel.Messaging.Transport.Internal;
using Polly;
using Polly.Timeout;

namespace OmniChannel.Messaging.Core.Tests.Transport;

public sealed class TwilioResilienceTests
{
    private static readonly TwilioRetryOptions NoJitter = new() { BaseDelay = TimeSpan.FromMilliseconds(250), MaxDelay = TimeSpan.FromSeconds(5), UseJitter = false };

    private static TwilioRequest MessagePost() =>
        new TwilioRequest(HttpMethod.Post, TwilioProduct.Api, "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json").AddForm("To", "+14155550100");

    private static Outcome<HttpResponseMessage> Answer(HttpStatusCode status, Action<HttpResponseMessage>? headers = null)
    {
        var response = new HttpResponseMessage(status);
        headers?.Invoke(response);
        return Outcome.FromResult(response);
    }

    [Fact]
    public void Options_FreshObject_HaveTheDocumentedResilienceDefaults()
    {
        var options = new OmniChannelMessagingOptions();

        Assert.Equal(4, options.Retry.MaxAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.Retry.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Retry.MaxDelay);
        Assert.True(options.Retry.UseJitter);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Retry.MaxRetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(30), options.AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(100), options.TotalTimeout);
        Assert.True(options.CircuitBreaker.Enabled);
        Assert.False(options.RateLimit.Enabled);
    }

    [Fact]
    public void Options_ResolvedThroughDiWithoutRetrySettings_KeepTheDefaults()
    {
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(o =>
        {
            o.AccountSid = TransportFixture.AccountSid;
            o.AuthToken = TransportFixture.AuthToken;
            o.UseEnvironmentVariables = false;
        });
        using var provider = services.BuildServiceProvider();

        var retry = provider.GetRequiredService<IOptionsMonitor<OmniChannelMessagingOptions>>().CurrentValue.Retry;
        Assert.Equal((4, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5)), (retry.MaxAttempts, retry.BaseDelay, retry.MaxDelay));
    }

    [Fact]
    public async Task SendAsync_DefaultRetrySettings_MakeFourAttemptsWaiting250Then500Then1000Ms()
    {
        // The built pipeline, with the defaults untouched (jitter off so the waits are exact): 4 attempts, the backoff
        // starting at 250 ms and doubling, all on the injected clock.
        var clock = new ManualTimeProvider();
        await using var server = await WireServer.StartAsync(_ => new WireResponse(503));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddOmniChannelMessaging(o =>
        {
            o.AccountSid = TransportFixture.AccountSid;
            o.AuthToken = TransportFixture.AuthToken;
            o.UseEnvironmentVariables = false;
            o.ApiBaseUrl = server.BaseUrl;
            o.Retry.UseJitter = false;
        });
        await using var provider = services.BuildServiceProvider();

        var start = clock.GetUtcNow();
        var send = provider.GetRequiredService<TwilioApiClient>().SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/x"));
        var elapsed = TimeSpan.Zero;
        var attempts = 0;
        foreach (var wait in new[] { 250, 500, 1000 })
        {
            attempts++;
            await TwilioApiClientRetryTests.WaitUntil(() => server.Count == attempts && clock.HasTimerDueAt(start + elapsed + TimeSpan.FromMilliseconds(wait)));
            clock.Advance(TimeSpan.FromMilliseconds(wait));
            elapsed += TimeSpan.FromMilliseconds(wait);
        }

        var exception = await Assert.ThrowsAsync<TwilioApiException>(() => send.WaitAsync(TimeSpan.FromSeconds(60), TimeProvider.System));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, exception.Status);
        Assert.Equal(4, server.Count);
    }

    [Fact]
    public void RetryDelay_WithoutJitter_DoublesFromBaseDelayAndIsCappedAtMaxDelay()
    {
        var delays = Enumerable.Range(0, 8).Select(i => TwilioResilience.RetryDelay(Answer(HttpStatusCode.ServiceUnavailable), i, NoJitter, TimeProvider.System).TotalMilliseconds);

        Assert.Equal([250, 500, 1000, 2000, 4000, 5000, 5000, 5000], delays);
        Assert.Equal(TimeSpan.FromSeconds(5), TwilioResilience.RetryDelay(Answer(HttpStatusCode.ServiceUnavailable), 1000, NoJitter, TimeProvider.System));
    }

    [Fact]
    public void RetryDelay_WithJitter_StaysBetweenHalfAndAllOfTheBackoffAndVaries()
    {
        var jitter = new TwilioRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(250), MaxDelay = TimeSpan.FromSeconds(5), UseJitter = true };
        for (var retry = 0; retry < 7; retry++)
        {
            var ceiling = Math.Min(250 * Math.Pow(2, retry), 5000);
            var samples = Enumerable.Range(0, 200).Select(_ => TwilioResilience.RetryDelay(Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException()), retry, jitter, TimeProvider.System).TotalMilliseconds).ToList();

            Assert.All(samples, d => Assert.InRange(d, ceiling / 2, ceiling));
            Assert.True(samples.Distinct().Count() > 100, $"retry {retry}: jitter should spread the delays, got {samples.Distinct().Count()} distinct values");
        }
    }

    [Fact]
    public void RetryDelay_429WithoutRetryAfter_FallsBackToTheBackoff()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(1000), TwilioResilience.RetryDelay(Answer(HttpStatusCode.TooManyRequests), 2, NoJitter, TimeProvider.System));
    }

    [Fact]
    public void RetryDelay_429WithRetryAfterSeconds_WaitsThatLongCappedAtMaxRetryAfter()
    {
        var retry = new TwilioRetryOptions { UseJitter = false, MaxRetryAfter = TimeSpan.FromSeconds(30) };

        Assert.Equal(TimeSpan.FromSeconds(7), TwilioResilience.RetryDelay(Answer(HttpStatusCode.TooManyRequests, r => r.Headers.Add("Retry-After", "7")), 0, retry, TimeProvider.System));
        Assert.Equal(TimeSpan.FromSeconds(30), TwilioResilience.RetryDelay(Answer(HttpStatusCode.TooManyRequests, r => r.Headers.Add("Retry-After", "600")), 0, retry, TimeProvider.System));
    }

    [Fact]
    public void RetryAfter_HttpDate_IsTheTimeUntilThatDateOnTheInjectedClock()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        using var later = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        later.Headers.Add("Retry-After", "Mon, 23 Nov 2026 12:00:09 GMT");
        using var past = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        past.Headers.Add("Retry-After", "Mon, 23 Nov 2026 11:59:00 GMT");
        using var none = new HttpResponseMessage(HttpStatusCode.TooManyRequests);

        Assert.Equal(TimeSpan.FromSeconds(9), TwilioResilience.RetryAfter(later, clock));
        Assert.Equal(TimeSpan.Zero, TwilioResilience.RetryAfter(past, clock));
        Assert.Null(TwilioResilience.RetryAfter(none, clock));
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, false, true)]
    [InlineData(HttpStatusCode.InternalServerError, false, false)]
    [InlineData(HttpStatusCode.InternalServerError, true, true)]
    [InlineData(HttpStatusCode.BadGateway, true, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, true, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, false, false)]
    [InlineData(HttpStatusCode.NotImplemented, true, false)]
    [InlineData(HttpStatusCode.BadRequest, true, false)]
    public void ShouldRetry_ByStatusAndSafety(HttpStatusCode status, bool safe, bool expected)
    {
        var call = new TwilioCall(new TwilioRequest(HttpMethod.Post, TwilioProduct.Api, "/x") { IsSafeToRetry = safe }, new Uri("http://127.0.0.1/x"), CancellationToken.None);

        Assert.Equal(expected, TwilioResilience.ShouldRetry(Answer(status), call));
    }

    [Theory]
    [InlineData(HttpRequestError.ConnectionError, false, true)]
    [InlineData(HttpRequestError.NameResolutionError, false, true)]
    [InlineData(HttpRequestError.ResponseEnded, false, false)]
    [InlineData(HttpRequestError.ResponseEnded, true, true)]
    [InlineData(HttpRequestError.SecureConnectionError, false, false)]
    public void ShouldRetry_TransportFailures_ConnectionNeverEstablishedIsAlwaysSafe(HttpRequestError error, bool safe, bool expected)
    {
        var call = new TwilioCall(new TwilioRequest(HttpMethod.Post, TwilioProduct.Api, "/x") { IsSafeToRetry = safe }, new Uri("http://127.0.0.1/x"), CancellationToken.None);

        Assert.Equal(expected, TwilioResilience.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new HttpRequestException(error, "x")), call));
    }

    [Fact]
    public async Task SendAsync_429WithoutRetryAfter_WaitsTheBackoff()
    {
        var clock = new ManualTimeProvider();
        await using var server = await WireServer.StartAsync(r => r.Index == 0 ? new WireResponse(429, TransportFixture.Error(20429, "Too Many Requests", 429)) : new WireResponse(204));
        await using var provider = TransportFixture.Provider(server.BaseUrl, o =>
        {
            o.Retry.BaseDelay = TimeSpan.FromSeconds(2);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(5);
            o.Retry.UseJitter = false;
        }, s => s.AddSingleton<TimeProvider>(clock));

        var start = clock.GetUtcNow();
        var send = provider.GetRequiredService<TwilioApiClient>().SendAsync(MessagePost());
        await TwilioApiClientRetryTests.WaitUntil(() => clock.HasTimerDueAt(start + TimeSpan.FromSeconds(2)));
        Assert.Equal(1, server.Count);
        clock.Advance(TimeSpan.FromSeconds(2));
        await send.WaitAsync(TimeSpan.FromSeconds(60), TimeProvider.System);

        Assert.Equal(2, server.Count);
    }

    [Fact]
    public async Task SendAsync_429WithRetryAfterHttpDate_WaitsUntilThatDate()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var retryAt = clock.GetUtcNow().AddSeconds(5).ToString("R", CultureInfo.InvariantCulture);
        await using var server = await WireServer.StartAsync(r => r.Index == 0
            ? new WireResponse(429, TransportFixture.Error(20429, "Too Many Requests", 429), new Dictionary<string, string> { ["Retry-After"] = retryAt })
            : new WireResponse(204));
        await using var provider = TransportFixture.Provider(server.BaseUrl, services: s => s.AddSingleton<TimeProvider>(clock));

        var start = clock.GetUtcNow();
        var send = provider.GetRequiredService<TwilioApiClient>().SendAsync(MessagePost());
        await TwilioApiClientRetryTests.WaitUntil(() => clock.HasTimerDueAt(start + TimeSpan.FromSeconds(5)));
        Assert.Equal(1, server.Count);
        clock.Advance(TimeSpan.FromSeconds(5));
        await send.WaitAsync(TimeSpan.FromSeconds(60), TimeProvider.System);

        Assert.Equal(2, server.Count);
    }

    [Theory]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task SendAsync_GatewayErrorsOnGet_AreRetriedUntilSuccess(int status)
    {
        await using var server = await WireServer.StartAsync(r => r.Index < 2 ? new WireResponse(status) : new WireResponse(200, """{"sid":"CH00000000000000000000000000000001"}"""));
        await using var provider = TransportFixture.Provider(server.BaseUrl);

        var result = await provider.GetRequiredService<TwilioApiClient>()
            .SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Conversations, "/v1/Conversations/CH00000000000000000000000000000001"), TestJsonContext.Default.TestResource);

        Assert.Equal("CH00000000000000000000000000000001", result.Sid);
        Assert.Equal(3, server.Count);
    }

    [Theory]
    [InlineData(502)]
    [InlineData(504)]
    public async Task SendAsync_GatewayErrorsOnUnsafePost_AreNotRetried(int status)
    {
        await using var server = await WireServer.StartAsync(_ => new WireResponse(status));
        await using var provider = TransportFixture.Provider(server.BaseUrl);

        var exception = await Assert.ThrowsAsync<TwilioApiException>(() => provider.GetRequiredService<TwilioApiClient>().SendAsync(MessagePost()));

        Assert.Equal(status, (int)exception.Status);
        Assert.Equal(1, server.Count);
    }

    [Fact]
    public async Task SendAsync_TotalTimeout_StopsTheRetryLoopWhenTheBudgetIsSpent()
    {
        // 503 on a GET is retried after 1 s, then 2 s; the 2.2 s total budget runs out during the second wait, so the
        // call ends with the total timeout (not the 1.5 s attempt timeout) after two attempts.
        var clock = new ManualTimeProvider();
        var logs = new CapturingLoggerProvider();
        await using var server = await WireServer.StartAsync(_ => new WireResponse(503));
        await using var provider = TransportFixture.Provider(
            server.BaseUrl,
            o =>
            {
                o.TotalTimeout = TimeSpan.FromSeconds(2.2);
                o.AttemptTimeout = TimeSpan.FromSeconds(1.5);
                o.Retry.MaxAttempts = 10;
                o.Retry.BaseDelay = TimeSpan.FromSeconds(1);
                o.Retry.MaxDelay = TimeSpan.FromSeconds(5);
                o.Retry.UseJitter = false;
            },
            s => s.AddSingleton<TimeProvider>(clock),
            logs);

        var start = clock.GetUtcNow();
        var send = provider.GetRequiredService<TwilioApiClient>().SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/x") { RouteTemplate = "/x" });
        await TwilioApiClientRetryTests.WaitUntil(() => clock.HasTimerDueAt(start + TimeSpan.FromSeconds(1)));
        clock.Advance(TimeSpan.FromSeconds(1));
        await TwilioApiClientRetryTests.WaitUntil(() => server.Count == 2 && clock.HasTimerDueAt(start + TimeSpan.FromSeconds(3)));
        clock.Advance(TimeSpan.FromSeconds(1.2));

        var exception = await Assert.ThrowsAsync<TimeoutRejectedException>(() => send.WaitAsync(TimeSpan.FromSeconds(60), TimeProvider.System));
        Assert.Equal(TimeSpan.FromSeconds(2.2), exception.Timeout);
        Assert.Equal(2, server.Count);
        Assert.Contains(logs.Lines, l => l.Contains("[1009]", StringComparison.Ordinal) && l.Contains("GET /x failed without an answer from Twilio after 2 attempt(s) (account 'default'): timed out after 2200 ms", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_ConnectionNeverEstablished_IsRetriedEvenForAnUnsafePost_ButABrokenResponseIsNot()
    {
        // Connection refused or DNS failure: nothing reached Twilio, so even a message send is repeated. A response that
        // broke off may have been processed, so the unsafe POST stops there: 2 attempts.
        var handler = new ScriptedFailureHandler(i => ScriptedFailureHandler.Transport(i == 0 ? HttpRequestError.ConnectionError : HttpRequestError.ResponseEnded));
        await using var server = await WireServer.StartAsync(_ => new WireResponse(204));
        await using var provider = TransportFixture.Provider(server.BaseUrl, builder: b => b.ConfigureHttpClient(h => h.AddHttpMessageHandler(() => handler)));

        var exception = await Assert.ThrowsAsync<HttpRequestException>(() => provider.GetRequiredService<TwilioApiClient>().SendAsync(MessagePost()));

        Assert.Equal(HttpRequestError.ResponseEnded, exception.HttpRequestError);
        Assert.Equal(2, handler.Count);
        Assert.Equal(0, server.Count);
    }

    [Fact]
    public async Task SendAsync_BrokenResponseOnGet_IsRetriedUpToMaxAttempts()
    {
        var handler = new ScriptedFailureHandler(_ => ScriptedFailureHandler.Transport(HttpRequestError.ResponseEnded));
        await using var server = await WireServer.StartAsync(_ => new WireResponse(204));
        await using var provider = TransportFixture.Provider(server.BaseUrl, o => o.Retry.MaxAttempts = 3, builder: b => b.ConfigureHttpClient(h => h.AddHttpMessageHandler(() => handler)));

        await Assert.ThrowsAsync<HttpRequestException>(() => provider.GetRequiredService<TwilioApiClient>().SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/x")));

        Assert.Equal(3, handler.Count);
    }

    [Fact]
    public async Task SendAsync_ConnectionRefusedEveryTimeOnUnsafePost_UsesEveryAttempt()
    {
        var handler = new ScriptedFailureHandler(_ => ScriptedFailureHandler.Transport(HttpRequestError.ConnectionError));
        await using var server = await WireServer.StartAsync(_ => new WireResponse(204));
        await using var provider = TransportFixture.Provider(server.BaseUrl, o => o.Retry.MaxAttempts = 3, builder: b => b.ConfigureHttpClient(h => h.AddHttpMessageHandler(() => handler)));

        var exception = await Assert.ThrowsAsync<HttpRequestException>(() => provider.GetRequiredService<TwilioApiClient>().SendAsync(MessagePost()));

        Assert.Equal(HttpRequestError.ConnectionError, exception.HttpRequestError);
        Assert.Equal(3, handler.Count);
    }
}
