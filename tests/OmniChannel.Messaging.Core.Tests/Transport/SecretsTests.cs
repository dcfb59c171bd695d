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

    [Fact]
    public void Secrets_SwappedIntoSidFieldsOrInBaseUrls_NeverAppearInValidationMessagesOrToString()
    {
        // A realistic mistake: the API key's secret pasted into ApiKeySid and the SID into ApiKeySecret, the auth token
        // pasted into AccountSid, and a gateway URL carrying a user name and password.
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(o =>
        {
            o.UseEnvironmentVariables = false;
            o.AccountSid = TransportFixture.AuthToken;
            o.ApiKeySid = TransportFixture.ApiKeySecret;
            o.ApiKeySecret = TransportFixture.ApiKeySid;
            o.ApiBaseUrl = new Uri("https://gateway-user:gateway-p4ssw0rd@gateway.example.com/twilio/?x=1");
            o.ConversationsBaseUrl = new Uri("https://gateway-user:gateway-p4ssw0rd@gateway.example.com/twilio/");
        });
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<TwilioApiClient>());
        var texts = new[] { failure.Message, failure.ToString(), string.Join("\n", failure.Failures) };

        Assert.Contains(failure.Failures, f => f.Contains("AccountSid of the default Twilio account: the value (starts with '0f', 32 characters; value not shown)", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("ApiKeySid of the default Twilio account: the value (starts with 's3', 33 characters, not all hexadecimal after the first two; value not shown)", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("ApiBaseUrl 'https://***@gateway.example.com/twilio/?x=1'", StringComparison.Ordinal));
        foreach (var text in texts)
        {
            Assert.DoesNotContain(TransportFixture.ApiKeySecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(TransportFixture.AuthToken, text, StringComparison.Ordinal);
            Assert.DoesNotContain("gateway-p4ssw0rd", text, StringComparison.Ordinal);
            Assert.DoesNotContain("gateway-user", text, StringComparison.Ordinal);
        }

        var configured = new OmniChannelMessagingOptions
        {
            ApiKeySecret = TransportFixture.ApiKeySecret,
            ApiBaseUrl = new Uri("https://gateway-user:gateway-p4ssw0rd@gateway.example.com/twilio/"),
            ConversationsBaseUrl = new Uri("https://gateway.example.com/conversations/"),
        }.ToString();
        Assert.Contains("ApiBaseUrl = https://***@gateway.example.com/twilio/", configured, StringComparison.Ordinal);
        Assert.Contains("ConversationsBaseUrl = https://gateway.example.com/conversations/", configured, StringComparison.Ordinal);
        Assert.DoesNotContain("gateway-p4ssw0rd", configured, StringComparison.Ordinal);
        Assert.DoesNotContain("gateway-user", configured, StringComparison.Ordinal);
        Assert.DoesNotContain(TransportFixture.ApiKeySecret, configured, StringComparison.Ordinal);
    }
}
