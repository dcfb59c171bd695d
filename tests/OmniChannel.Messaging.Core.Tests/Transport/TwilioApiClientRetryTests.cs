using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Core.Tests.Transport;

public sealed class TwilioApiClientRetryTests
{
    private static readonly Dictionary<string, string> RetryAfterTwoSeconds = new() { ["Retry-After"] = "2" };

    private static TwilioRequest CreateMessage() =>
        new TwilioRequest(HttpMethod.Post, TwilioProduct.Api, "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json")
            .AddForm("To", "+14155550100")
            .AddForm("Body", "hi");

    [Fact]
    public async Task SendAsync_429WithRetryAfter_WaitsThatLongThenRetries()
    {
        var clock = new ManualTimeProvider();
        await using var server = await WireServer.StartAsync(r => r.Index == 0
            ? new WireResponse(429, TransportFixture.Error(20429, "Too Many Requests", 429), RetryAfterTwoSeconds)
            : new WireResponse(201, """{"sid":"SM00000000000000000000000000000001"}"""));
        await using var provider = TransportFixture.Provider(server.BaseUrl, services: s => s.AddSingleton<TimeProvider>(clock));
        var client = provider.GetRequiredService<TwilioApiClient>();

        var start = clock.GetUtcNow();
        var send = client.SendAsync(CreateMessage(), TestJsonContext.Default.TestResource);
        await WaitUntil(() => clock.HasTimerDueAt(start + TimeSpan.FromSeconds(2)));

        // The retry is due two seconds later on the injected clock, not before: just short of it, nothing is sent, however
        // long real time passes; at two seconds the retry goes out.
        clock.Advance(TimeSpan.FromSeconds(1.9));
        await Task.Delay(TimeSpan.FromMilliseconds(300), TimeProvider.System);
        Assert.Equal(1, server.Count);
        Assert.False(send.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(0.1));
        var result = await send.WaitAsync(TimeSpan.FromSeconds(60), TimeProvider.System);

        Assert.Equal("SM00000000000000000000000000000001", result.Sid);
        Assert.Equal(2, server.Count);
    }

    [Fact]
    public async Task SendAsync_429ForeverOnPost_RetriesUpToMaxAttemptsThenThrowsThrottled()
    {
        await using var server = await WireServer.StartAsync(_ => new WireResponse(429, TransportFixture.Error(20429, "Too Many Requests", 429), new Dictionary<string, string> { ["Retry-After"] = "0" }));
        await using var provider = TransportFixture.Provider(server.BaseUrl, o => o.Retry.MaxAttempts = 3);

        var exception = await Assert.ThrowsAsync<TwilioApiException>(() => provider.GetRequiredService<TwilioApiClient>().SendAsync(CreateMessage(), TestJsonContext.Default.TestResource));

        Assert.True(exception.IsThrottled);
        Assert.Equal(20429, exception.ErrorCode);
        Assert.Equal(TimeSpan.Zero, exception.RetryAfter);
        Assert.Equal(3, server.Count);
    }

    [Fact]
    public async Task SendAsync_RetryAfterLongerThanCap_IsCappedToMaxRetryAfter()
    {
        var clock = new ManualTimeProvider();
        await using var server = await WireServer.StartAsync(r => r.Index == 0
            ? new WireResponse(429, TransportFixture.Error(20429, "Too Many Requests", 429), new Dictionary<string, string> { ["Retry-After"] = "3600" })
            : new WireResponse(204));
        await using var provider = TransportFixture.Provider(server.BaseUrl, o => o.Retry.MaxRetryAfter = TimeSpan.FromSeconds(3), s => s.AddSingleton<TimeProvider>(clock));

        var start = clock.GetUtcNow();
        var send = provider.GetRequiredService<TwilioApiClient>().SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/x"));
        await WaitUntil(() => clock.HasTimerDueAt(start + TimeSpan.FromSeconds(3)));
        Assert.Equal(1, server.Count);
        clock.Advance(TimeSpan.FromSeconds(3));
        await send.WaitAsync(TimeSpan.FromSeconds(60), TimeProvider.System);

        Assert.Equal(2, server.Count);
    }

    [Fact]
    public async Task SendAsync_500OnUnsafePost_IsNotRetried()
    {
        await using var server = await WireServer.StartAsync(_ => new WireResponse(500, TransportFixture.Error(20500, "Internal Server Error", 500)));
        await using var provider = TransportFixture.Provider(server.BaseUrl);

        var exception = await Assert.ThrowsAsync<TwilioApiException>(() => provider.GetRequiredService<TwilioApiClient>().SendAsync(CreateMessage(), TestJsonContext.Default.TestResource));

        Assert.Equal(HttpStatusCode.InternalServerError, exception.Status);
        Assert.Equal(1, server.Count);
    }

    [Fact]
    public async Task SendAsync_500OnPostMarkedSafe_IsRetried()
    {
        await using var server = await WireServer.StartAsync(r => r.Index == 0 ? new WireResponse(500) : new WireResponse(201, """{"sid":"CH00000000000000000000000000000001"}"""));
        await using var provider = TransportFixture.Provider(server.BaseUrl);

        var request = new TwilioRequest(HttpMethod.Post, TwilioProduct.Conversations, "/v1/Conversations") { IsSafeToRetry = true }.AddForm("UniqueName", "case-1");
        await provider.GetRequiredService<TwilioApiClient>().SendAsync(request, TestJsonContext.Default.TestResource);

        Assert.Equal(2, server.Count);
        Assert.All(server.Requests, r => Assert.Equal("UniqueName=case-1", r.Body));
    }

    [Fact]
    public async Task SendAsync_AttemptTimeoutOnUnsafePost_IsNotRetried()
    {
        // The attempt timeout runs on the injected clock, so the test decides when it fires: only once the POST has
        // reached the server, however slow the machine is.
        var clock = new ManualTimeProvider();
        await using var server = await WireServer.StartAsync(_ => new WireResponse(201, "{}", Delay: TimeSpan.FromSeconds(30)));
        await using var provider = TransportFixture.Provider(server.BaseUrl, o => o.AttemptTimeout = TimeSpan.FromSeconds(1), s => s.AddSingleton<TimeProvider>(clock));

        var send = provider.GetRequiredService<TwilioApiClient>().SendAsync(CreateMessage(), TestJsonContext.Default.TestResource);
        await WaitUntil(() => server.Count == 1);
        clock.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<Polly.Timeout.TimeoutRejectedException>(() => send.WaitAsync(TimeSpan.FromSeconds(60), TimeProvider.System));
        clock.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        Assert.Equal(1, server.Count);
    }

    [Fact]
    public async Task SendAsync_AttemptTimeoutOnGet_IsRetried()
    {
        var clock = new ManualTimeProvider();
        await using var server = await WireServer.StartAsync(r => r.Index == 0
            ? new WireResponse(200, "{}", Delay: TimeSpan.FromSeconds(30))
            : new WireResponse(200, """{"sid":"CH00000000000000000000000000000001"}"""));
        await using var provider = TransportFixture.Provider(server.BaseUrl, o => o.AttemptTimeout = TimeSpan.FromSeconds(1), s => s.AddSingleton<TimeProvider>(clock));

        var send = provider.GetRequiredService<TwilioApiClient>().SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/x"), TestJsonContext.Default.TestResource);
        await WaitUntil(() => server.Count == 1);
        clock.Advance(TimeSpan.FromSeconds(1));

        // The retry waits its back-off on the same clock: move time until the second attempt reaches the server, then
        // stop, so that attempt's own timeout cannot fire while it is answered.
        while (server.Count < 2)
        {
            clock.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }

        var result = await send.WaitAsync(TimeSpan.FromSeconds(60), TimeProvider.System);
        Assert.Equal("CH00000000000000000000000000000001", result.Sid);
        Assert.Equal(2, server.Count);
    }

    [Fact]
    public async Task SendAsync_4xxOtherThan429_IsNeverRetried()
    {
        await using var server = await WireServer.StartAsync(_ => new WireResponse(404, TransportFixture.Error(20404, "Not found", 404)));
        await using var provider = TransportFixture.Provider(server.BaseUrl);

        await Assert.ThrowsAsync<TwilioApiException>(() => provider.GetRequiredService<TwilioApiClient>().SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/x")));

        Assert.Equal(1, server.Count);
    }

    [Fact]
    public async Task SendAsync_RepeatedServerErrors_OpenTheCircuit()
    {
        await using var server = await WireServer.StartAsync(_ => new WireResponse(503));
        await using var provider = TransportFixture.Provider(server.BaseUrl, o =>
        {
            o.Retry.MaxAttempts = 1;
            o.CircuitBreaker.MinimumThroughput = 4;
            o.CircuitBreaker.FailureRatio = 0.5;
        });
        var client = provider.GetRequiredService<TwilioApiClient>();

        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<TwilioApiException>(() => client.SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/x")));
        }

        await Assert.ThrowsAsync<Polly.CircuitBreaker.BrokenCircuitException>(() => client.SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/x")));
        Assert.Equal(4, server.Count);
    }

    [Fact]
    public async Task SendAsync_RateLimiterQueueFull_RejectsWithoutCallingTwilio()
    {
        await using var server = await WireServer.StartAsync(_ => new WireResponse(204, Delay: TimeSpan.FromMilliseconds(50)));
        await using var provider = TransportFixture.Provider(server.BaseUrl, o =>
        {
            o.RateLimit.Enabled = true;
            o.RateLimit.PermitsPerSecond = 1;
            o.RateLimit.BurstSize = 1;
            o.RateLimit.QueueLimit = 0;
        });
        var client = provider.GetRequiredService<TwilioApiClient>();

        // Three calls at once against one permit and no queue: the ones without a permit are refused on the spot, whatever
        // the speed of the machine (the next permit is a second away).
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            try
            {
                await client.SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/x"));
                return null;
            }
            catch (Polly.RateLimiting.RateLimiterRejectedException exception)
            {
                return exception;
            }
        }));

        Assert.Contains(outcomes, o => o is not null);
        Assert.Equal(outcomes.Count(o => o is null), server.Count);
    }

    [Fact]
    public async Task SendAsync_RetriesAndThrottles_AreCountedOnTheMeter()
    {
        await using var server = await WireServer.StartAsync(r => r.Index == 0
            ? new WireResponse(429, TransportFixture.Error(20429, "Too Many Requests", 429), new Dictionary<string, string> { ["Retry-After"] = "0" })
            : new WireResponse(204));
        await using var provider = TransportFixture.Provider(server.BaseUrl);
        var meterFactory = provider.GetRequiredService<IMeterFactory>();
        var measurements = new List<(string Instrument, long Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "OmniChannel.Messaging" && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (measurements)
            {
                measurements.Add((instrument.Name, value));
            }
        });
        listener.Start();

        await provider.GetRequiredService<TwilioApiClient>().SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/x") { RouteTemplate = "/x" });

        lock (measurements)
        {
            Assert.Equal(2, measurements.Where(m => m.Instrument == "omnichannel.twilio.requests").Sum(m => m.Value));
            Assert.Equal(1, measurements.Where(m => m.Instrument == "omnichannel.twilio.retries").Sum(m => m.Value));
            Assert.Equal(1, measurements.Where(m => m.Instrument == "omnichannel.twilio.throttled").Sum(m => m.Value));
        }
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(deadline) > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("The condition was not met within 60 seconds.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }
    }
}
