using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OmniChannel.Messaging.AspNetCore.Tests.Webhooks;

public sealed class TokenRotationTests
{
    private const string First = "11111111111111111111111111111111";
    private const string Second = "22222222222222222222222222222222";

    [Fact]
    public async Task AuthTokensReloadedFromConfiguration_TakeEffectWithoutARestart()
    {
        IConfigurationRoot? configuration = null;
        await using var host = await StartAsync(c => configuration = c);
        var form = WebhookHost.InboundForm(host.Twilio.AccountSid);

        Assert.Equal(HttpStatusCode.OK, (await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid), First)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.PostSignedFormAsync("twilio/messages", form, Second)).StatusCode);

        configuration!["Webhooks:AuthTokens:0"] = Second;
        configuration.Reload();

        Assert.Equal(HttpStatusCode.OK, (await host.PostSignedFormAsync("twilio/messages", form, Second)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid), First)).StatusCode);

        // The account's own token (from the client options) was never part of the reload and still works.
        Assert.Equal(HttpStatusCode.OK, (await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid))).StatusCode);
    }

    [Fact]
    public async Task ReloadThatFailsValidation_KeepsTheTokensInUse()
    {
        IConfigurationRoot? configuration = null;
        await using var host = await StartAsync(c => configuration = c);

        configuration!["Webhooks:AuthTokens:0"] = " ";
        try
        {
            configuration.Reload();
        }
        catch (AggregateException exception) when (exception.Flatten().InnerExceptions.All(e => e is Microsoft.Extensions.Options.OptionsValidationException))
        {
            // The options system reports the invalid reload to whoever triggered it; the receiver must not care.
        }

        Assert.Equal(HttpStatusCode.OK, (await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid), First)).StatusCode);
    }

    private static Task<WebhookHost> StartAsync(Action<IConfigurationRoot> capture) =>
        WebhookHost.StartAsync(configureBuilder: b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Webhooks:AuthTokens:0"] = First });
            b.Services.Configure<TwilioWebhookOptions>(b.Configuration.GetSection("Webhooks"));
            capture(b.Configuration);
        });
}
