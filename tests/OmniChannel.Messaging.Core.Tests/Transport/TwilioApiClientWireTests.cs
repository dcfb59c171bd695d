using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Core.Tests.Transport;

public sealed class TwilioApiClientWireTests
{
    [Fact]
    public async Task SendAsync_PostWithForm_SendsBasicAuthFormBodyAndUserAgentOnTheWire()
    {
        await using var server = await WireServer.StartAsync(_ => new WireResponse(201, """{"sid":"CH00000000000000000000000000000001","friendly_name":"Case 1"}"""));
        await using var provider = TransportFixture.Provider(server.BaseUrl);
        var client = provider.GetRequiredService<TwilioApiClient>();

        var request = new TwilioRequest(HttpMethod.Post, TwilioProduct.Conversations, "/v1/Conversations/CH00000000000000000000000000000001/Participants")
            .AddForm("MessagingBinding.Address", "+14155550100")
            .AddForm("MessagingBinding.ProxyAddress", "+14155551234")
            .AddFormValues("MediaUrl", ["https://example.com/a.png", "https://example.com/b b.png"])
            .AddForm("ShortenUrls", true)
            .AddForm("ValidityPeriod", 600L)
            .AddForm("SendAt", new DateTimeOffset(2026, 11, 23, 20, 0, 0, TimeSpan.FromHours(1)))
            .AddForm("Attributes", """{"tenant":"acme & co"}""");
        var result = await client.SendAsync(request, TestJsonContext.Default.TestResource);

        Assert.Equal("CH00000000000000000000000000000001", result.Sid);
        Assert.Equal("Case 1", result.FriendlyName);
        var wire = Assert.Single(server.Requests);
        Assert.Equal("POST", wire.Method);
        Assert.Equal("/v1/Conversations/CH00000000000000000000000000000001/Participants", wire.Path);
        var expectedAuth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TransportFixture.ApiKeySid}:{TransportFixture.ApiKeySecret}"));
        Assert.Equal(expectedAuth, wire.Header("Authorization"));
        Assert.StartsWith($"OmniChannel.Messaging/{PackageVersion()} (.NET {Environment.Version}; ", wire.Header("User-Agent"), StringComparison.Ordinal);
        Assert.Equal("application/x-www-form-urlencoded", wire.Header("Content-Type"));
        Assert.Equal("application/json", wire.Header("Accept"));
        Assert.Equal(
            "MessagingBinding.Address=%2B14155550100&MessagingBinding.ProxyAddress=%2B14155551234"
            + "&MediaUrl=https%3A%2F%2Fexample.com%2Fa.png&MediaUrl=https%3A%2F%2Fexample.com%2Fb+b.png"
            + "&ShortenUrls=true&ValidityPeriod=600&SendAt=2026-11-23T19%3A00%3A00Z"
            + "&Attributes=%7B%22tenant%22%3A%22acme+%26+co%22%7D",
            wire.Body);
        Assert.Equal(
            ["https://example.com/a.png", "https://example.com/b b.png"],
            wire.Form.Where(p => p.Key == "MediaUrl").Select(p => p.Value));
    }

    [Fact]
    public async Task SendAsync_WithoutApiKey_AuthenticatesWithAccountSidAndAuthToken()
    {
        await using var server = await WireServer.StartAsync(_ => new WireResponse(204));
        await using var provider = TransportFixture.Provider(server.BaseUrl, o =>
        {
            o.ApiKeySid = null;
            o.ApiKeySecret = null;
        });

        await provider.GetRequiredService<TwilioApiClient>().SendAsync(new TwilioRequest(HttpMethod.Delete, TwilioProduct.Conversations, "/v1/Conversations/CH00000000000000000000000000000001"));

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TransportFixture.AccountSid}:{TransportFixture.AuthToken}"));
        Assert.Equal(expected, Assert.Single(server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task SendAsync_QueryAndCustomHeader_AreSentEscaped()
    {
        await using var server = await WireServer.StartAsync(_ => new WireResponse(204));
        await using var provider = TransportFixture.Provider(server.BaseUrl);

        var request = new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json")
            .AddQuery("To", "+1 415")
            .AddQuery("DateSent>", "2026-11-23")
            .SetHeader("X-Twilio-Webhook-Enabled", "true");
        await provider.GetRequiredService<TwilioApiClient>().SendAsync(request);

        var wire = Assert.Single(server.Requests);
        Assert.Equal("?To=%2B1%20415&DateSent%3E=2026-11-23", wire.QueryString);
        Assert.Equal("true", wire.Header("X-Twilio-Webhook-Enabled"));
    }

    [Fact]
    public async Task SendAsync_TwilioErrorBody_BecomesTwilioApiExceptionWithEveryField()
    {
        await using var server = await WireServer.StartAsync(_ => new WireResponse(
            400,
            TransportFixture.Error(21211, "The 'To' number +1555 is not a valid phone number.", 400),
            new Dictionary<string, string> { ["Twilio-Request-Id"] = "RQ0123456789abcdef0123456789abcdef" }));
        await using var provider = TransportFixture.Provider(server.BaseUrl);

        var request = new TwilioRequest(HttpMethod.Post, TwilioProduct.Api, "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json").AddForm("To", "+1555");
        var exception = await Assert.ThrowsAsync<TwilioApiException>(() => provider.GetRequiredService<TwilioApiClient>().SendAsync(request, TestJsonContext.Default.TestResource));

        Assert.Equal(HttpStatusCode.BadRequest, exception.Status);
        Assert.Equal(21211, exception.ErrorCode);
        Assert.Equal("The 'To' number +1555 is not a valid phone number.", exception.TwilioMessage);
        Assert.Equal(new Uri("https://www.twilio.com/docs/errors/21211"), exception.MoreInfo);
        Assert.Equal("RQ0123456789abcdef0123456789abcdef", exception.RequestId);
        Assert.False(exception.IsThrottled);
        Assert.Equal(
            "Twilio error 21211 (HTTP 400): The 'To' number +1555 is not a valid phone number. See https://www.twilio.com/docs/errors/21211 (request RQ0123456789abcdef0123456789abcdef)",
            exception.Message);
        Assert.Equal(1, server.Count);
    }

    [Fact]
    public async Task SendAsync_ProblemDetailsBody_IsReadToo()
    {
        await using var server = await WireServer.StartAsync(_ => new WireResponse(
            404,
            """{"type":"https://www.twilio.com/docs/errors/20404","title":"Not Found","detail":"The requested resource was not found","code":20404,"status":404}"""));
        await using var provider = TransportFixture.Provider(server.BaseUrl);

        var exception = await Assert.ThrowsAsync<TwilioApiException>(() => provider.GetRequiredService<TwilioApiClient>()
            .SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Conversations, "/v2/Things/XX1"), TestJsonContext.Default.TestResource));

        Assert.Equal(20404, exception.ErrorCode);
        Assert.Equal("The requested resource was not found", exception.TwilioMessage);
        Assert.Equal(new Uri("https://www.twilio.com/docs/errors/20404"), exception.MoreInfo);
    }

    [Fact]
    public async Task SendAsync_NonJsonErrorBody_StillThrowsTwilioApiExceptionWithStatus()
    {
        await using var server = await WireServer.StartAsync(_ => new WireResponse(502, "<html>bad gateway</html>"));
        await using var provider = TransportFixture.Provider(server.BaseUrl, o => o.Retry.MaxAttempts = 1);

        var exception = await Assert.ThrowsAsync<TwilioApiException>(() => provider.GetRequiredService<TwilioApiClient>()
            .SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/2010-04-01/Accounts.json")));

        Assert.Equal(HttpStatusCode.BadGateway, exception.Status);
        Assert.Null(exception.ErrorCode);
        Assert.StartsWith("Twilio error (HTTP 502)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ServerUnreachable_ThrowsHttpRequestExceptionNotApiException()
    {
        // A port that was just free: connection refused.
        Uri closed;
        await using (var server = await WireServer.StartAsync(_ => new WireResponse(200)))
        {
            closed = server.BaseUrl;
        }

        await using var provider = TransportFixture.Provider(closed, o => o.Retry.MaxAttempts = 2);

        var exception = await Assert.ThrowsAsync<HttpRequestException>(() => provider.GetRequiredService<TwilioApiClient>()
            .SendAsync(new TwilioRequest(HttpMethod.Post, TwilioProduct.Api, "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json").AddForm("To", "+14155550100")));

        Assert.Equal(HttpRequestError.ConnectionError, exception.HttpRequestError);
    }

    [Fact]
    public async Task SendAsync_AttemptTimeout_ThrowsTimeoutRejectedException()
    {
        await using var server = await WireServer.StartAsync(_ => new WireResponse(200, "{}", Delay: TimeSpan.FromSeconds(30)));
        await using var provider = TransportFixture.Provider(server.BaseUrl, o =>
        {
            o.AttemptTimeout = TimeSpan.FromMilliseconds(100);
            o.Retry.MaxAttempts = 1;
        });

        await Assert.ThrowsAsync<Polly.Timeout.TimeoutRejectedException>(() => provider.GetRequiredService<TwilioApiClient>().SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/slow")));
    }

    [Fact]
    public async Task SendAsync_CallerCancels_ThrowsOperationCanceledNotATimeout()
    {
        // The attempt timeout is far away, so only the caller's token can end the call.
        await using var server = await WireServer.StartAsync(_ => new WireResponse(200, "{}", Delay: TimeSpan.FromSeconds(30)));
        await using var provider = TransportFixture.Provider(server.BaseUrl, o => o.Retry.MaxAttempts = 1);
        using var cancellation = new CancellationTokenSource();

        var call = provider.GetRequiredService<TwilioApiClient>().SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/slow"), cancellation.Token);
        await TwilioApiClientRetryTests.WaitUntil(() => server.Count == 1);
        await cancellation.CancelAsync();
        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        Assert.IsNotType<Polly.Timeout.TimeoutRejectedException>(cancelled);
    }

    [Fact]
    public async Task GetBaseUrl_RegionAndEdge_BuildTwilioHostNames()
    {
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(o =>
        {
            o.AccountSid = TransportFixture.AccountSid;
            o.AuthToken = TransportFixture.AuthToken;
            o.UseEnvironmentVariables = false;
            o.Region = "ie1";
            o.Edge = "dublin";
        });
        services.AddOmniChannelMessaging("edge-only", o =>
        {
            o.AccountSid = TransportFixture.AccountSid;
            o.AuthToken = TransportFixture.AuthToken;
            o.Edge = "sydney";
        });
        services.AddOmniChannelMessaging("plain", o =>
        {
            o.AccountSid = TransportFixture.AccountSid;
            o.AuthToken = TransportFixture.AuthToken;
        });
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<ITwilioClientFactory>();

        Assert.Equal(new Uri("https://api.dublin.ie1.twilio.com/"), factory.GetClient(string.Empty).GetBaseUrl(TwilioProduct.Api));
        Assert.Equal(new Uri("https://conversations.dublin.ie1.twilio.com/"), factory.GetClient(string.Empty).GetBaseUrl(TwilioProduct.Conversations));
        Assert.Equal(new Uri("https://api.sydney.us1.twilio.com/"), factory.GetClient("edge-only").GetBaseUrl(TwilioProduct.Api));
        Assert.Equal(new Uri("https://conversations.twilio.com/"), factory.GetClient("plain").GetBaseUrl(TwilioProduct.Conversations));
    }

    [Fact]
    public void TwilioRequest_PathWithQuery_IsRejectedWithTheValue()
    {
        var exception = Assert.Throws<ArgumentException>(() => new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/x?PageSize=5"));
        Assert.Contains("/x?PageSize=5", exception.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "x"));
        Assert.Throws<ArgumentException>(() => new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/x").SetHeader("authorization", "Basic abc"));
    }

    [Fact]
    public void TwilioRequest_SafeToRetry_DefaultsByMethod()
    {
        Assert.True(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/x").IsSafeToRetry);
        Assert.True(new TwilioRequest(HttpMethod.Delete, TwilioProduct.Api, "/x").IsSafeToRetry);
        Assert.False(new TwilioRequest(HttpMethod.Post, TwilioProduct.Api, "/x").IsSafeToRetry);
        Assert.True(new TwilioRequest(HttpMethod.Post, TwilioProduct.Api, "/x") { IsSafeToRetry = true }.IsSafeToRetry);
    }

    [Fact]
    public async Task SendAsync_UserAgent_CarriesThePackageVersion()
    {
        await using var server = await WireServer.StartAsync(_ => new WireResponse(204));
        await using var provider = TransportFixture.Provider(server.BaseUrl);

        await provider.GetRequiredService<TwilioApiClient>().SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/x"));

        // The version part is the package version (the informational version without its +commit suffix), so it starts with
        // the assembly's major.minor.patch and is never the 0.0.0 fallback.
        var match = System.Text.RegularExpressions.Regex.Match(Assert.Single(server.Requests).Header("User-Agent") ?? string.Empty, @"^OmniChannel\.Messaging/(?<version>[0-9A-Za-z.\-]+) \(");
        Assert.True(match.Success);
        var version = match.Groups["version"].Value;
        Assert.Equal(PackageVersion(), version);
        var assemblyVersion = typeof(TwilioApiClient).Assembly.GetName().Version!;
        Assert.StartsWith($"{assemblyVersion.Major}.{assemblyVersion.Minor}.{assemblyVersion.Build}", version, StringComparison.Ordinal);
        Assert.NotEqual("0.0.0", version);
    }

    [Fact]
    public async Task SendAsync_XTwilioRequestIdHeader_BecomesTheExceptionsRequestId()
    {
        await using var server = await WireServer.StartAsync(_ => new WireResponse(
            404,
            TransportFixture.Error(20404, "Not found", 404),
            new Dictionary<string, string> { ["X-Twilio-Request-Id"] = "RQfedcba9876543210fedcba9876543210" }));
        await using var provider = TransportFixture.Provider(server.BaseUrl);

        var exception = await Assert.ThrowsAsync<TwilioApiException>(() => provider.GetRequiredService<TwilioApiClient>().SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/x")));

        Assert.Equal("RQfedcba9876543210fedcba9876543210", exception.RequestId);
        Assert.EndsWith("(request RQfedcba9876543210fedcba9876543210)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_SuccessfulAttempt_IsRecordedOnTheDurationHistogram()
    {
        var clock = new ManualTimeProvider();
        await using var server = await WireServer.StartAsync(_ =>
        {
            // The server "takes" 750 ms on the injected clock before answering.
            clock.Advance(TimeSpan.FromMilliseconds(750));
            return new WireResponse(204);
        });
        await using var provider = TransportFixture.Provider(server.BaseUrl, services: s => s.AddSingleton<TimeProvider>(clock));
        using var meters = new MeterCapture(provider);

        await provider.GetRequiredService<TwilioApiClient>().SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/x/1") { RouteTemplate = "/x/{Sid}" });

        var duration = Assert.Single(meters.Of("omnichannel.twilio.request.duration"));
        Assert.Equal(0.75, duration.Value);
        Assert.Equal("GET", duration.Tag("http.request.method"));
        Assert.Equal("/x/{Sid}", duration.Tag("url.template"));
        Assert.Equal(204, duration.Tag("http.response.status_code"));
        Assert.Equal("success", duration.Tag("twilio.outcome"));
        Assert.Equal("default", duration.Tag("twilio.account"));
    }

    private static string PackageVersion()
    {
        var informational = typeof(TwilioApiClient).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>()
            .Single().InformationalVersion;
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? informational[..plus] : informational;
    }
}
