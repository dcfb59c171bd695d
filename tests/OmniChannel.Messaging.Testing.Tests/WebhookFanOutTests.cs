using System.Net;
using System.Net.Sockets;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Testing.Tests;

/// <summary>Several app instances behind one public URL, and Twilio's retry racing the original (at-least-once delivery).</summary>
public sealed class WebhookFanOutTests
{
    private static readonly Uri PublicInbound = new("https://example.com/twilio/messages?x=1");

    [Fact]
    public async Task DeliverInboundMessage_TwoInstancesTwoCopies_EachInstanceGetsOneIdenticalCopy()
    {
        await using var first = await WireServer.StartAsync(_ => new WireResponse(200));
        await using var second = await WireServer.StartAsync(_ => new WireResponse(503));
        var options = new TwilioEmulatorOptions { WebhookUrl = PublicInbound, DeliveriesPerWebhook = 2 };
        options.WebhookInstances.Add(first.BaseUrl);
        options.WebhookInstances.Add(second.BaseUrl);
        await using var twilio = await TwilioEmulator.StartAsync(options);

        var delivery = await twilio.DeliverInboundMessageAsync("+14155550100", "+14155551234", "Hello");

        var a = Assert.Single(first.Requests);
        var b = Assert.Single(second.Requests);
        Assert.Equal(a.Body, b.Body);
        Assert.Equal(a.Header("X-Twilio-Signature"), b.Header("X-Twilio-Signature"));
        Assert.Equal(a.Header("I-Twilio-Idempotency-Token"), b.Header("I-Twilio-Idempotency-Token"));
        Assert.Equal(delivery.Signature, a.Header("X-Twilio-Signature"));
        Assert.Equal(delivery.IdempotencyToken, a.Header("I-Twilio-Idempotency-Token"));
        Assert.Equal("Hello", a.Form.Single(p => p.Key == "Body").Value);
        Assert.Equal(PublicInbound.OriginalString, delivery.Url);
        Assert.Equal([first.BaseUrl + "twilio/messages?x=1", second.BaseUrl + "twilio/messages?x=1"], delivery.DeliveredTo);
        Assert.Equal([200, 503], delivery.StatusCodes);
        Assert.Equal(200, delivery.StatusCode);
    }

    [Fact]
    public async Task DeliverInboundMessage_TwoInstances_SignatureValidatesForPublicUrlNotInstanceUrl()
    {
        await using var first = await WireServer.StartAsync(_ => new WireResponse(200));
        await using var second = await WireServer.StartAsync(_ => new WireResponse(200));
        var options = new TwilioEmulatorOptions { WebhookUrl = PublicInbound, DeliveriesPerWebhook = 2 };
        options.WebhookInstances.Add(first.BaseUrl);
        options.WebhookInstances.Add(second.BaseUrl);
        await using var twilio = await TwilioEmulator.StartAsync(options);
        var validator = new TwilioSignatureValidator(twilio.AuthToken);

        await twilio.DeliverInboundMessageAsync("+14155550100", "+14155551234", "Hello");

        foreach (var (server, request) in new[] { (first, Assert.Single(first.Requests)), (second, Assert.Single(second.Requests)) })
        {
            var signature = request.Header("X-Twilio-Signature");
            Assert.True(validator.Validate(PublicInbound.OriginalString, request.Form, signature).IsValid);
            var received = new Uri(server.BaseUrl, request.Path + request.QueryString).AbsoluteUri;
            Assert.Equal(SignatureValidationFailure.SignatureMismatch, validator.Validate(received, request.Form, signature).Failure);
        }
    }

    [Fact]
    public async Task SendStatusCallbacks_PublicUrlWithPathBase_PostsFullPathAndQueryToInstance()
    {
        const string publicCallback = "https://example.com/app/twilio/status?x=1";
        await using var instance = await WireServer.StartAsync(_ => new WireResponse(204));
        var options = new TwilioEmulatorOptions();
        options.WebhookInstances.Add(instance.BaseUrl);
        await using var twilio = await TwilioEmulator.StartAsync(options);
        using var http = EmulatorClient.Raw(twilio);
        var sid = (await http.PostAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Messages.json", ("To", "+14155550100"), ("From", "+14155551234"), ("Body", "x"), ("StatusCallback", publicCallback))).Body.Str("sid");

        var deliveries = await twilio.SendStatusCallbacksAsync(sid, new StatusCallbackPlan { Statuses = ["delivered"] });

        var request = Assert.Single(instance.Requests);
        Assert.Equal("/app/twilio/status", request.Path);
        Assert.Equal("?x=1", request.QueryString);
        Assert.Equal(TwilioSignatureValidator.ComputeSignature(twilio.AuthToken, publicCallback, request.Form), request.Header("X-Twilio-Signature"));
        var delivery = Assert.Single(deliveries);
        Assert.Equal(publicCallback, delivery.Url);
        Assert.Equal([instance.BaseUrl + "app/twilio/status?x=1"], delivery.DeliveredTo);
        Assert.Equal([204], delivery.StatusCodes);
    }

    [Fact]
    public async Task DeliverInboundMessage_InstanceWithPath_PrefixesPublicPathAndQuery()
    {
        await using var instance = await WireServer.StartAsync(_ => new WireResponse(200));
        var options = new TwilioEmulatorOptions { WebhookUrl = PublicInbound };
        options.WebhookInstances.Add(new Uri(instance.BaseUrl, "node-a/"));
        await using var twilio = await TwilioEmulator.StartAsync(options);

        await twilio.DeliverInboundMessageAsync("+14155550100", "+14155551234", "Hello");

        var request = Assert.Single(instance.Requests);
        Assert.Equal("/node-a/twilio/messages", request.Path);
        Assert.Equal("?x=1", request.QueryString);
    }

    [Fact]
    public async Task DeliverMessageAdded_OneInstanceTwoCopies_PostsTwiceToThatInstance()
    {
        await using var instance = await WireServer.StartAsync(_ => new WireResponse(200));
        var options = new TwilioEmulatorOptions { ConversationsWebhookUrl = new Uri("https://example.com/twilio/conversations"), DeliveriesPerWebhook = 2 };
        options.WebhookInstances.Add(instance.BaseUrl);
        await using var twilio = await TwilioEmulator.StartAsync(options);
        using var http = EmulatorClient.Raw(twilio);
        var conversation = (await http.PostAsync("/v1/Conversations", ("UniqueName", "fan"))).Body.Str("sid");
        var message = (await http.PostAsync($"/v1/Conversations/{conversation}/Messages", ("Author", "agent"), ("Body", "Hi"))).Body.Str("sid");

        var delivery = await twilio.DeliverMessageAddedAsync(conversation, message);

        var received = instance.Requests.ToList();
        Assert.Equal(2, received.Count);
        Assert.All(received, r => Assert.Equal("/twilio/conversations", r.Path));
        Assert.Single(received.Select(r => r.Body).Distinct());
        Assert.Single(received.Select(r => r.Header("X-Twilio-Signature")).Distinct());
        Assert.Equal([delivery.IdempotencyToken, delivery.IdempotencyToken], received.Select(r => r.Header("I-Twilio-Idempotency-Token")));
        Assert.Equal([200, 200], delivery.StatusCodes);
        Assert.Equal(2, delivery.DeliveredTo.Count);
        Assert.All(delivery.DeliveredTo, target => Assert.Equal(instance.BaseUrl + "twilio/conversations", target));
    }

    [Fact]
    public async Task DeliverInboundMessage_TwoCopies_CopiesAreInFlightTogether()
    {
        // Each copy is answered only once both have arrived; posting one after the other would leave the first waiting
        // until the timeout and answer 500.
        using var bothArrived = new CountdownEvent(2);
        await using var instance = await WireServer.StartAsync(_ =>
        {
            bothArrived.Signal();
            return new WireResponse(bothArrived.Wait(TimeSpan.FromSeconds(10)) ? 200 : 500);
        });
        var options = new TwilioEmulatorOptions { WebhookUrl = new Uri(instance.BaseUrl, "inbound"), DeliveriesPerWebhook = 2 };
        await using var twilio = await TwilioEmulator.StartAsync(options);

        var delivery = await twilio.DeliverInboundMessageAsync("+14155550100", "+14155551234", "Hello");

        Assert.Equal([200, 200], delivery.StatusCodes);
        Assert.Equal(2, instance.Count);
    }

    [Fact]
    public async Task DeliverInboundMessage_DefaultOptions_PostsOnceToPublicUrl()
    {
        await using var receiver = await WireServer.StartAsync(_ => new WireResponse(204));
        await using var twilio = await TwilioEmulator.StartAsync();
        var url = new Uri(receiver.BaseUrl, "inbound?tenant=acme");

        var delivery = await twilio.DeliverInboundMessageAsync("+14155550100", "+14155551234", "Hello", webhookUrl: url);

        var request = Assert.Single(receiver.Requests);
        Assert.Equal("/inbound", request.Path);
        Assert.Equal("?tenant=acme", request.QueryString);
        Assert.Equal(TwilioSignatureValidator.ComputeSignature(twilio.AuthToken, url.OriginalString, request.Form), request.Header("X-Twilio-Signature"));
        Assert.Equal(url.OriginalString, delivery.Url);
        Assert.Equal([url.OriginalString], delivery.DeliveredTo);
        Assert.Equal([204], delivery.StatusCodes);
        Assert.Equal(204, delivery.StatusCode);
        Assert.Equal($"POST {url.OriginalString} -> 204", delivery.ToString());
    }

    [Fact]
    public void Options_Default_NoInstancesAndOneDelivery()
    {
        var options = new TwilioEmulatorOptions();

        Assert.Empty(options.WebhookInstances);
        Assert.Equal(1, options.DeliveriesPerWebhook);
    }

    [Fact]
    public async Task DeliverInboundMessage_TwoInstancesOneCopy_AlternatesAcrossDeliveries()
    {
        await using var first = await WireServer.StartAsync(_ => new WireResponse(200));
        await using var second = await WireServer.StartAsync(_ => new WireResponse(202));
        var options = new TwilioEmulatorOptions { WebhookUrl = PublicInbound };
        options.WebhookInstances.Add(first.BaseUrl);
        options.WebhookInstances.Add(second.BaseUrl);
        await using var twilio = await TwilioEmulator.StartAsync(options);

        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await twilio.DeliverInboundMessageAsync("+14155550100", "+14155551234", $"m{i}")).StatusCode);
        }

        Assert.Equal([200, 202, 200, 202], statuses);
        Assert.Equal(["m0", "m2"], first.Requests.Select(r => r.Form.Single(p => p.Key == "Body").Value));
        Assert.Equal(["m1", "m3"], second.Requests.Select(r => r.Form.Single(p => p.Key == "Body").Value));
    }

    [Fact]
    public async Task DeliverInboundMessage_ThreeInstancesTwoCopies_EachDeliveryStartsAtNextInstance()
    {
        await using var a = await WireServer.StartAsync(_ => new WireResponse(200));
        await using var b = await WireServer.StartAsync(_ => new WireResponse(200));
        await using var c = await WireServer.StartAsync(_ => new WireResponse(200));
        var options = new TwilioEmulatorOptions { WebhookUrl = PublicInbound, DeliveriesPerWebhook = 2 };
        options.WebhookInstances.Add(a.BaseUrl);
        options.WebhookInstances.Add(b.BaseUrl);
        options.WebhookInstances.Add(c.BaseUrl);
        await using var twilio = await TwilioEmulator.StartAsync(options);
        string At(WireServer server) => server.BaseUrl + "twilio/messages?x=1";

        var one = await twilio.DeliverInboundMessageAsync("+14155550100", "+14155551234", "1");
        var two = await twilio.DeliverInboundMessageAsync("+14155550100", "+14155551234", "2");
        var three = await twilio.DeliverInboundMessageAsync("+14155550100", "+14155551234", "3");

        Assert.Equal([At(a), At(b)], one.DeliveredTo);
        Assert.Equal([At(b), At(c)], two.DeliveredTo);
        Assert.Equal([At(c), At(a)], three.DeliveredTo);
        Assert.Equal(["1", "3"], a.Requests.Select(r => r.Form.Single(p => p.Key == "Body").Value).Order(StringComparer.Ordinal));
        Assert.Equal(["1", "2"], b.Requests.Select(r => r.Form.Single(p => p.Key == "Body").Value).Order(StringComparer.Ordinal));
        Assert.Equal(["2", "3"], c.Requests.Select(r => r.Form.Single(p => p.Key == "Body").Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DeliverInboundMessage_OneInstanceRefusesConnection_OtherCopyArrivesThenThrows()
    {
        await using var live = await WireServer.StartAsync(_ => new WireResponse(200));
        var options = new TwilioEmulatorOptions { WebhookUrl = PublicInbound, DeliveriesPerWebhook = 2 };
        options.WebhookInstances.Add(ClosedPortUrl());
        options.WebhookInstances.Add(live.BaseUrl);
        await using var twilio = await TwilioEmulator.StartAsync(options);

        await Assert.ThrowsAsync<HttpRequestException>(() => twilio.DeliverInboundMessageAsync("+14155550100", "+14155551234", "Hello"));

        var request = Assert.Single(live.Requests);
        Assert.Equal("/twilio/messages", request.Path);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task StartAsync_DeliveriesPerWebhookBelowOne_ThrowsNamingTheProperty(int deliveries)
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => TwilioEmulator.StartAsync(new TwilioEmulatorOptions { DeliveriesPerWebhook = deliveries }));

        Assert.Contains("DeliveriesPerWebhook", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/relative/")]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("http://127.0.0.1:5001/?x=1")]
    public async Task StartAsync_InvalidWebhookInstance_ThrowsNamingTheProperty(string instance)
    {
        var options = new TwilioEmulatorOptions();
        options.WebhookInstances.Add(new Uri(instance, UriKind.RelativeOrAbsolute));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => TwilioEmulator.StartAsync(options));

        Assert.Contains("WebhookInstances", error.Message, StringComparison.Ordinal);
    }

    private static Uri ClosedPortUrl()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
