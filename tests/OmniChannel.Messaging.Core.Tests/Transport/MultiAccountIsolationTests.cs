using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Testing.Shared;
using Polly.CircuitBreaker;
using Polly.RateLimiting;

namespace OmniChannel.Messaging.Core.Tests.Transport;

public sealed class MultiAccountIsolationTests
{
    private static TwilioRequest Get(string path) => new(HttpMethod.Get, TwilioProduct.Api, path) { RouteTemplate = path };

    [Fact]
    public async Task CircuitBreaker_OpenForOneAccount_LeavesTheOtherAccountCalling()
    {
        await using var server = await WireServer.StartAsync(r => r.Path == "/fail" ? new WireResponse(503) : new WireResponse(204));
        var services = new ServiceCollection();
        foreach (var name in new[] { "tenant-a", "tenant-b" })
        {
            services.AddOmniChannelMessaging(name, o =>
            {
                TransportFixture.Configure(o, server.BaseUrl);
                o.Retry.MaxAttempts = 1;
                o.CircuitBreaker.MinimumThroughput = 2;
            });
        }

        await using var provider = services.BuildServiceProvider();
        using var meters = new MeterCapture(provider);
        var factory = provider.GetRequiredService<ITwilioClientFactory>();
        var a = factory.GetClient("tenant-a");
        var b = factory.GetClient("tenant-b");

        await Assert.ThrowsAsync<TwilioApiException>(() => a.SendAsync(Get("/fail")));
        await Assert.ThrowsAsync<TwilioApiException>(() => a.SendAsync(Get("/fail")));
        await Assert.ThrowsAsync<BrokenCircuitException>(() => a.SendAsync(Get("/ok")));

        await b.SendAsync(Get("/ok"));
        await b.SendAsync(Get("/ok"));

        Assert.Equal(["/fail", "/fail", "/ok", "/ok"], server.Requests.Select(r => r.Path));
        var opened = Assert.Single(meters.Of("omnichannel.twilio.circuit_breaker.state_changes"));
        Assert.Equal("tenant-a", opened.Tag("twilio.account"));
    }

    [Fact]
    public async Task RateLimiter_ExhaustedForOneAccount_LeavesTheOtherAccountsPermits()
    {
        await using var server = await WireServer.StartAsync(_ => new WireResponse(204));
        var services = new ServiceCollection();
        foreach (var name in new[] { "tenant-a", "tenant-b" })
        {
            services.AddOmniChannelMessaging(name, o =>
            {
                TransportFixture.Configure(o, server.BaseUrl);
                o.RateLimit.Enabled = true;
                o.RateLimit.PermitsPerSecond = 1;
                o.RateLimit.BurstSize = 1;
                o.RateLimit.QueueLimit = 0;
            });
        }

        await using var provider = services.BuildServiceProvider();
        var a = provider.GetRequiredKeyedService<TwilioApiClient>("tenant-a");
        var b = provider.GetRequiredKeyedService<TwilioApiClient>("tenant-b");

        // Each account has one permit (the next one is a second away): two calls at once on tenant-a spend its permit
        // and one is refused; tenant-b still has its own.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => TwilioApiClientObservabilityTests.Outcome(() => a.SendAsync(Get("/a")))));
        Assert.IsType<RateLimiterRejectedException>(Assert.Single(outcomes, o => o is not null));
        await b.SendAsync(Get("/b"));

        Assert.Equal(["/a", "/b"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task ConfigureHttpClient_OnOneAccount_LeavesTheOtherAccountsHttpClientAlone()
    {
        await using var server = await WireServer.StartAsync(_ => new WireResponse(204));
        var handler = new ScriptedFailureHandler(_ => null);
        var services = new ServiceCollection();
        var tenantA = services.AddOmniChannelMessaging("tenant-a", o => TransportFixture.Configure(o, server.BaseUrl))
            .ConfigureHttpClient(h => h.AddHttpMessageHandler(() => handler));
        var tenantB = services.AddOmniChannelMessaging("tenant-b", o => TransportFixture.Configure(o, server.BaseUrl));
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<TwilioApiClient>("tenant-a").SendAsync(Get("/a"));
        await provider.GetRequiredKeyedService<TwilioApiClient>("tenant-b").SendAsync(Get("/b"));
        await provider.GetRequiredKeyedService<TwilioApiClient>("tenant-b").SendAsync(Get("/b"));

        Assert.NotEqual(tenantA.HttpClientName, tenantB.HttpClientName);
        Assert.Equal(1, handler.Count);
        Assert.Equal(3, server.Count);
    }
}
