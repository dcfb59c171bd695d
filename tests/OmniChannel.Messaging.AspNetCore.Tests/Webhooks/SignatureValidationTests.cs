using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OmniChannel.Messaging.Testing;

namespace OmniChannel.Messaging.AspNetCore.Tests.Webhooks;

public sealed class SignatureValidationTests
{
    [Fact]
    public async Task Inbound_EmulatorSignedDelivery_Accepted()
    {
        await using var host = await WebhookHost.StartAsync();
        var delivery = await host.Twilio.DeliverInboundMessageAsync("+14155550111", "+14155550100", "hello", webhookUrl: host.Url("twilio/messages"));

        Assert.Equal(200, delivery.StatusCode);
        await host.Recorder.WaitForAsync<InboundMessage>(1);
        var message = host.Recorder.Of<InboundMessage>().Single();
        Assert.Equal(delivery.Parameter("MessageSid"), message.MessageSid);
        Assert.Equal("hello", message.Body);
        Assert.Equal(MessagingChannel.Sms, message.Channel);
    }

    [Fact]
    public async Task Inbound_SignedWithAnotherToken_Rejected403WithEmptyBodyAndWarningWithoutSecret()
    {
        await using var host = await WebhookHost.StartAsync();
        const string wrongToken = "0123456789abcdef0123456789abcdef";
        using var response = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid), wrongToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("SignatureMismatch", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains(host.Twilio.AuthToken, StringComparison.Ordinal) || l.Contains(wrongToken, StringComparison.Ordinal));
        Assert.Empty(host.Recorder.Items);
    }

    [Fact]
    public async Task Inbound_MissingSignatureHeader_Rejected403NotServerError()
    {
        // twilio-aspnet with Twilio >= 7.10 throws ArgumentException here and answers 500.
        await using var host = await WebhookHost.StartAsync();
        using var response = await host.PostFormAsync(host.Url("twilio/messages"), WebhookHost.InboundForm(host.Twilio.AccountSid), signature: null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(host.Logs.Lines, l => l.Contains("MissingSignature", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Inbound_TamperedParameter_Rejected403()
    {
        await using var host = await WebhookHost.StartAsync();
        var form = WebhookHost.InboundForm(host.Twilio.AccountSid, body: "pay 10");
        var signature = TwilioSignatureValidator.ComputeSignature(host.Twilio.AuthToken, host.Url("twilio/messages").OriginalString, form);
        form[4] = new("Body", "pay 1000");

        using var response = await host.PostFormAsync(host.Url("twilio/messages"), form, signature);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Inbound_ParametersReordered_StillAccepted()
    {
        await using var host = await WebhookHost.StartAsync();
        var form = WebhookHost.InboundForm(host.Twilio.AccountSid);
        var signature = TwilioSignatureValidator.ComputeSignature(host.Twilio.AuthToken, host.Url("twilio/messages").OriginalString, form);
        form.Reverse();

        using var response = await host.PostFormAsync(host.Url("twilio/messages"), form, signature);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Inbound_QueryStringKept_SignedUrlWithQueryAccepted()
    {
        await using var host = await WebhookHost.StartAsync();
        using var response = await host.PostSignedFormAsync("twilio/messages?tenant=acme&x=It%27s", WebhookHost.InboundForm(host.Twilio.AccountSid));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Inbound_BehindProxyWithTrustedForwardedHeaders_PublicUrlValidates()
    {
        await using var host = await WebhookHost.StartAsync(o => o.TrustForwardedHeaders = true);
        var form = WebhookHost.InboundForm(host.Twilio.AccountSid);
        var signature = TwilioSignatureValidator.ComputeSignature(host.Twilio.AuthToken, "https://hooks.example.com/api/twilio/messages", form);

        using var response = await host.PostFormAsync(host.Url("twilio/messages"), form, signature, r =>
        {
            r.Headers.Add("X-Forwarded-Proto", "https");
            r.Headers.Add("X-Forwarded-Host", "hooks.example.com");
            r.Headers.Add("X-Forwarded-Prefix", "/api");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Inbound_ForwardedHeadersNotTrusted_Rejected403()
    {
        await using var host = await WebhookHost.StartAsync();
        var form = WebhookHost.InboundForm(host.Twilio.AccountSid);
        var signature = TwilioSignatureValidator.ComputeSignature(host.Twilio.AuthToken, "https://hooks.example.com/twilio/messages", form);

        using var response = await host.PostFormAsync(host.Url("twilio/messages"), form, signature, r =>
        {
            r.Headers.Add("X-Forwarded-Proto", "https");
            r.Headers.Add("X-Forwarded-Host", "hooks.example.com");
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Inbound_PublicBaseUrlConfigured_ValidatesAgainstIt()
    {
        await using var host = await WebhookHost.StartAsync(o => o.PublicBaseUrl = new Uri("https://abc123.ngrok.app/"));
        var form = WebhookHost.InboundForm(host.Twilio.AccountSid);
        var signature = TwilioSignatureValidator.ComputeSignature(host.Twilio.AuthToken, "https://abc123.ngrok.app/twilio/messages", form);

        using var response = await host.PostFormAsync(host.Url("twilio/messages"), form, signature);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Inbound_AppUnderPathBase_PathBaseIsPartOfTheSignedUrl()
    {
        // twilio-aspnet rebuilds the URL from Request.Path only and fails here.
        await using var host = await WebhookHost.StartAsync(configureApp: app => app.UsePathBase("/base"));
        using var response = await host.PostSignedFormAsync("base/twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Conversations_RepeatedFormKeys_NodeRuleAcceptedCommaJoinedRejected()
    {
        // twilio-aspnet comma-joins repeated keys (StringValues.ToString()) and rejects Twilio's Group MMS webhooks.
        await using var host = await WebhookHost.StartAsync();
        var form = new List<KeyValuePair<string, string>>
        {
            new("EventType", "onConversationAdded"),
            new("AccountSid", host.Twilio.AccountSid),
            new("ConversationSid", "CH" + Guid.NewGuid().ToString("N")),
            new("MessagingBinding.Address", "+13255550100"),
            new("MessagingBinding.Address", "+14155550100"),
        };
        var url = host.Url("twilio/conversations").OriginalString;
        var commaJoined = form.Take(3).Append(new("MessagingBinding.Address", "+13255550100,+14155550100")).ToList();

        using var accepted = await host.PostFormAsync(host.Url("twilio/conversations"), form, TwilioSignatureValidator.ComputeSignature(host.Twilio.AuthToken, url, form));
        using var rejected = await host.PostFormAsync(host.Url("twilio/conversations"), form, TwilioSignatureValidator.ComputeSignature(host.Twilio.AuthToken, url, commaJoined));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, rejected.StatusCode);
        await host.Recorder.WaitForAsync<ConversationEvent>(1);
        Assert.Equal(["+13255550100", "+14155550100"], host.Recorder.Of<ConversationEvent>().Single().MessagingBindingAddresses);
    }

    [Fact]
    public async Task Status_JsonBodyWithBodyHash_Accepted()
    {
        await using var host = await WebhookHost.StartAsync();
        var json = $$"""{"MessageSid":"SM{{Guid.NewGuid():N}}","AccountSid":"{{host.Twilio.AccountSid}}","MessageStatus":"delivered","ErrorCode":null}""";

        using var response = await host.PostSignedJsonAsync("twilio/status", json);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await host.Recorder.WaitForAsync<StatusCallback>(1);
        Assert.Equal(MessageStatus.Delivered, host.Recorder.Of<StatusCallback>().Single().Status);
    }

    [Fact]
    public async Task Status_JsonBodyChangedAfterSigning_Rejected403()
    {
        // twilio-aspnet checks only the URL signature for JSON bodies; the body hash is what binds the body.
        await using var host = await WebhookHost.StartAsync();
        var json = $$"""{"MessageSid":"SM{{Guid.NewGuid():N}}","MessageStatus":"delivered"}""";

        using var response = await host.PostSignedJsonAsync("twilio/status", json, tamperBody: true);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(host.Logs.Lines, l => l.Contains("BodyHashMismatch", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_JsonBodyWithoutBodyHash_Rejected403()
    {
        await using var host = await WebhookHost.StartAsync();
        var url = host.Url("twilio/status");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent("""{"MessageSid":"SM1"}""", Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("X-Twilio-Signature", TwilioSignatureValidator.ComputeSignature(host.Twilio.AuthToken, url.OriginalString));

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Inbound_TokenRotation_OldAndNewTokensAcceptedOthersNot()
    {
        const string next = "fedcba9876543210fedcba9876543210";
        await using var host = await WebhookHost.StartAsync(o => o.AuthTokens.Add(next));

        using var withCurrent = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid));
        using var withNext = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid), next);
        using var withOther = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid), "00000000000000000000000000000000");

        Assert.Equal(HttpStatusCode.OK, withCurrent.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withNext.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, withOther.StatusCode);
    }

    [Fact]
    public async Task Inbound_SeveralAccounts_TokenChosenByPayloadAccountSid()
    {
        const string otherAccount = "AC11111111111111111111111111111111";
        const string otherToken = "11111111111111111111111111111111";
        await using var host = await WebhookHost.StartAsync(o => o.AccountAuthTokens[otherAccount] = [otherToken]);

        using var otherSignedByOther = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(otherAccount), otherToken);
        using var otherSignedByMain = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(otherAccount), host.Twilio.AuthToken);
        using var mainSignedByOther = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid), otherToken);
        using var unknownAccountSignedByOther = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm("AC22222222222222222222222222222222"), otherToken);

        Assert.Equal(HttpStatusCode.OK, otherSignedByOther.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherSignedByMain.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, mainSignedByOther.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknownAccountSignedByOther.StatusCode);
    }

    [Fact]
    public async Task Inbound_BodyOverLimit_Rejected413()
    {
        await using var host = await WebhookHost.StartAsync(o => o.MaxBodySize = 1024);
        using var response = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid, body: new string('x', 2000)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Inbound_ChunkedBodyOverDefaultLimit_Rejected413()
    {
        await using var host = await WebhookHost.StartAsync();
        var body = "Body=" + new string('x', 70 * 1024);
        using var content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes(body)));
        content.Headers.ContentType = new("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, host.Url("twilio/messages")) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.TryAddWithoutValidation("X-Twilio-Signature", "x");

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Inbound_WrongContentType_Rejected415()
    {
        await using var host = await WebhookHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, host.Url("twilio/messages")) { Content = new StringContent("<xml/>", Encoding.UTF8, "text/xml") };
        request.Headers.TryAddWithoutValidation("X-Twilio-Signature", "x");

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Status_MalformedJsonSigned_Rejected400()
    {
        await using var host = await WebhookHost.StartAsync();
        using var response = await host.PostSignedJsonAsync("twilio/status", "{\"MessageSid\": ");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Status_MalformedJsonUnsigned_Rejected403BeforeParsing()
    {
        await using var host = await WebhookHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, host.Url("twilio/status")) { Content = new StringContent("[1,", Encoding.UTF8, "application/json") };

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Inbound_SignedFormWithoutMessageSid_Rejected400()
    {
        await using var host = await WebhookHost.StartAsync();
        using var response = await host.PostSignedFormAsync("twilio/messages", [new("From", "+14155550111"), new("Body", "hi")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task AllowUnsigned_OutsideDevelopment_RefusedAtStart()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => WebhookHost.StartAsync(o => o.AllowUnsigned = true, environment: "Production"));

        Assert.Contains("AllowUnsigned", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllowUnsigned_InDevelopment_UnsignedAccepted()
    {
        await using var host = await WebhookHost.StartAsync(o => o.AllowUnsigned = true, environment: "Development");
        using var response = await host.PostFormAsync(host.Url("twilio/messages"), WebhookHost.InboundForm(host.Twilio.AccountSid), signature: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Start_NoAuthTokenAnywhere_RefusedAtStart()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => WebhookHost.StartAsync(
            configureBuilder: b => b.Services.Configure<OmniChannelMessagingOptions>(o =>
            {
                o.AuthToken = null;
                o.ApiKeySid = "SK" + new string('a', 32);
                o.ApiKeySecret = "secret";
            }),
            twilio: twilio));

        Assert.Contains("No auth token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateTwilioSignature_UserEndpoint_ChecksBeforeBindingAndKeepsFormBindable()
    {
        await using var host = await WebhookHost.StartAsync(
            mapWebhooks: false,
            configureApp: app =>
            {
                app.MapPost("/mine/sms", (InboundMessage message, HttpRequest request) => Results.Text($"{message.Body}|{request.Form["Body"]}"))
                    .ValidateTwilioSignature();
                app.MapPost("/mine/json", async (HttpRequest request) => Results.Text(await new StreamReader(request.Body).ReadToEndAsync()))
                    .ValidateTwilioSignature();
            });

        using var valid = await host.PostSignedFormAsync("mine/sms", WebhookHost.InboundForm(host.Twilio.AccountSid, body: "yo"));
        using var invalid = await host.PostFormAsync(host.Url("mine/sms"), WebhookHost.InboundForm(host.Twilio.AccountSid), "bad");
        using var json = await host.PostSignedJsonAsync("mine/json", """{"a":1}""");

        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Equal("yo|yo", await valid.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, invalid.StatusCode);
        Assert.Equal("""{"a":1}""", await json.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ValidateTwilioSignature_OnRouteGroup_GuardsEveryEndpointInIt()
    {
        await using var host = await WebhookHost.StartAsync(
            mapWebhooks: false,
            configureApp: app =>
            {
                var group = app.MapGroup("/group").ValidateTwilioSignature();
                group.MapPost("/a", (StatusCallback callback) => Results.Text(callback.Status.Value));
                group.MapPost("/b", () => Results.Text("b"));
            });
        var form = new List<KeyValuePair<string, string>> { new("MessageSid", "SM1"), new("MessageStatus", "sent") };

        using var a = await host.PostSignedFormAsync("group/a", form);
        using var b = await host.PostFormAsync(host.Url("group/b"), form, "bad");

        Assert.Equal("sent", await a.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, b.StatusCode);
    }

    [Fact]
    public async Task UseTwilioSignatureValidation_PathPrefix_GuardsOnlyThatPrefix()
    {
        await using var host = await WebhookHost.StartAsync(
            mapWebhooks: false,
            configureApp: app =>
            {
                app.UseTwilioSignatureValidation("/hooks");
                app.MapPost("/hooks/sms", (HttpRequest request) => Results.Text(request.Form["Body"].ToString()));
                app.MapPost("/open/sms", () => Results.Text("open"));
            });

        using var valid = await host.PostSignedFormAsync("hooks/sms", WebhookHost.InboundForm(host.Twilio.AccountSid, body: "ok"));
        using var invalid = await host.PostFormAsync(host.Url("hooks/sms"), WebhookHost.InboundForm(host.Twilio.AccountSid), "bad");
        using var open = await host.PostFormAsync(host.Url("open/sms"), WebhookHost.InboundForm(host.Twilio.AccountSid), null);

        Assert.Equal("ok", await valid.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
    }
}
