using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Core.Tests.Transport;

public sealed class SecretsTests
{
    [Fact]
    public async Task Secrets_NeverAppearInLogsExceptionsOrToString()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await WireServer.StartAsync(r => r.Index switch
        {
            0 => new WireResponse(429, TransportFixture.Error(20429, "Too Many Requests", 429), new Dictionary<string, string> { ["Retry-After"] = "0" }),
            1 => new WireResponse(401, TransportFixture.Error(20003, "Authentication Error - invalid username", 401), new Dictionary<string, string> { ["Twilio-Request-Id"] = "RQ1" }),
            _ => new WireResponse(503),
        });
        await using var provider = TransportFixture.Provider(server.BaseUrl, o => o.CircuitBreaker.Enabled = false, logs: logs);
        var client = provider.GetRequiredService<TwilioApiClient>();
        var texts = new List<string>();

        var apiError = await Assert.ThrowsAsync<TwilioApiException>(() => client.SendAsync(new TwilioRequest(HttpMethod.Post, TwilioProduct.Api, "/m").AddForm("Body", "hello")));
        texts.Add(apiError.ToString());
        texts.Add((await Assert.ThrowsAsync<TwilioApiException>(() => client.SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/g")))).ToString());
        var options = provider.GetRequiredService<IOptionsMonitor<OmniChannelMessagingOptions>>().CurrentValue;
        texts.Add(options.ToString());
        texts.AddRange(logs.Lines);

        var invalid = new ServiceCollection();
        invalid.AddOmniChannelMessaging(o =>
        {
            o.UseEnvironmentVariables = false;
            o.ApiKeySid = "SKbad";
            o.ApiKeySecret = TransportFixture.ApiKeySecret;
            o.AuthToken = TransportFixture.AuthToken;
        });
        using (var bad = invalid.BuildServiceProvider())
        {
            texts.Add(Assert.Throws<OptionsValidationException>(() => bad.GetRequiredService<TwilioApiClient>()).ToString());
        }

        Assert.NotEmpty(logs.Lines);
        Assert.Contains(logs.Lines, l => l.Contains("20003", StringComparison.Ordinal) && l.Contains("RQ1", StringComparison.Ordinal));
        Assert.Contains("ApiKeySecret = ***", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("AuthToken = ***", options.ToString(), StringComparison.Ordinal);
        foreach (var text in texts)
        {
            Assert.DoesNotContain(TransportFixture.ApiKeySecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(TransportFixture.AuthToken, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{TransportFixture.ApiKeySid}:{TransportFixture.ApiKeySecret}")), text, StringComparison.Ordinal);
            Assert.DoesNotContain("hello", text, StringComparison.Ordinal);
        }
    }
}
