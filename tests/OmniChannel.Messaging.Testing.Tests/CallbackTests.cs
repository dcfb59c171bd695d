using System.Collections.Concurrent;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Testing.Tests;

public sealed class CallbackTests
{
    [Fact]
    public async Task SendStatusCallbacks_Default_PostsSignedQueuedSentDeliveredInOrder()
    {
        await using var receiver = await WireServer.StartAsync(_ => new WireResponse(204));
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var callback = new Uri(receiver.BaseUrl, "status?tenant=acme").AbsoluteUri;
        var sid = (await http.PostAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Messages.json", ("To", "+14155550100"), ("From", "+14155551234"), ("Body", "x"), ("StatusCallback", callback))).Body.Str("sid");

        var deliveries = await twilio.SendStatusCallbacksAsync(sid);

        var received = receiver.Requests.ToList();
        Assert.Equal(["queued", "sent", "delivered"], received.Select(r => r.Form.Single(p => p.Key == "MessageStatus").Value));
        Assert.All(received, r =>
        {
            Assert.Equal(TwilioSignatureValidator.ComputeSignature(twilio.AuthToken, callback, r.Form), r.Header("X-Twilio-Signature"));
            Assert.False(string.IsNullOrEmpty(r.Header("I-Twilio-Idempotency-Token")));
            Assert.Equal("/status", r.Path);
            Assert.Equal("?tenant=acme", r.QueryString);
        });
        Assert.All(deliveries, d => Assert.Equal(204, d.StatusCode));
        Assert.Equal(sid, deliveries[0].Parameter("MessageSid"));
        Assert.NotNull(deliveries[2].Parameter("RawDlrDoneDate"));
        var fetched = await http.GetJsonAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Messages/{sid}.json");
        Assert.Equal("delivered", fetched.Body.Str("status"));
    }

    [Fact]
    public async Task SendStatusCallbacks_DuplicatedAndShuffledFailure_SendsEachTwiceWithErrorCode()
    {
        await using var receiver = await WireServer.StartAsync(_ => new WireResponse(200));
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var callback = new Uri(receiver.BaseUrl, "status").AbsoluteUri;
        var sid = (await http.PostAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Messages.json", ("To", "+14155550100"), ("From", "+14155551234"), ("Body", "x"), ("StatusCallback", callback))).Body.Str("sid");

        var deliveries = await twilio.SendStatusCallbacksAsync(sid, new StatusCallbackPlan
        {
            Statuses = ["queued", "sent", "undelivered"],
            ErrorCode = 30005,
            Duplicate = true,
            Shuffle = true,
            Seed = 7,
        });

        Assert.Equal(6, deliveries.Count);
        Assert.Equal(["queued", "queued", "sent", "sent", "undelivered", "undelivered"], deliveries.Select(d => d.Parameter("MessageStatus")!).Order(StringComparer.Ordinal));
        Assert.NotEqual(["queued", "queued", "sent", "sent", "undelivered", "undelivered"], deliveries.Select(d => d.Parameter("MessageStatus")));
        Assert.All(deliveries.Where(d => d.Parameter("MessageStatus") == "undelivered"), d => Assert.Equal("30005", d.Parameter("ErrorCode")));
        Assert.All(deliveries.GroupBy(d => d.Parameter("MessageStatus")), g => Assert.Single(g.Select(d => d.IdempotencyToken).Distinct()));
        var fetched = await http.GetJsonAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Messages/{sid}.json");
        Assert.Equal("undelivered", fetched.Body.Str("status"));
        Assert.Equal(30005, fetched.Body.GetProperty("error_code").GetInt32());
    }

    [Fact]
    public async Task SendStatusCallbacks_WhatsAppOutsideWindow_ReportsFailedWith63016()
    {
        await using var receiver = await WireServer.StartAsync(_ => new WireResponse(200));
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var sid = (await http.PostAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Messages.json", ("To", "whatsapp:+447700900123"), ("From", "whatsapp:+14155238886"), ("Body", "x"), ("StatusCallback", new Uri(receiver.BaseUrl, "s").AbsoluteUri))).Body.Str("sid");

        var deliveries = await twilio.SendStatusCallbacksAsync(sid);

        Assert.Equal(["queued", "failed"], deliveries.Select(d => d.Parameter("MessageStatus")));
        Assert.Equal("63016", deliveries[1].Parameter("ErrorCode"));
        Assert.Equal("whatsapp", deliveries[1].Parameter("ChannelPrefix"));
    }

    [Fact]
    public async Task DeliverInboundMessage_WhatsApp_PostsTwilioFieldsSignedAndOpensWindow()
    {
        var seen = new ConcurrentQueue<WireRequest>();
        await using var receiver = await WireServer.StartAsync(r => { seen.Enqueue(r); return new WireResponse(200); });
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var url = new Uri(receiver.BaseUrl, "inbound");

        var delivery = await twilio.DeliverInboundMessageAsync("whatsapp:+447700900123", "whatsapp:+14155238886", "Hello", [new Uri("https://example.com/p.jpg")], url);
        var reply = await http.PostAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Messages.json", ("To", "whatsapp:+447700900123"), ("From", "whatsapp:+14155238886"), ("Body", "Hi!"));
        var replyState = await http.GetJsonAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Messages/{reply.Body.Str("sid")}.json");

        var request = Assert.Single(seen);
        string Field(string name) => request.Form.Single(p => p.Key == name).Value;
        Assert.Equal("Hello", Field("Body"));
        Assert.Equal("whatsapp:+447700900123", Field("From"));
        Assert.Equal("received", Field("SmsStatus"));
        Assert.Equal("447700900123", Field("WaId"));
        Assert.Equal("1", Field("NumMedia"));
        Assert.Equal("https://example.com/p.jpg", Field("MediaUrl0"));
        Assert.Equal(twilio.AccountSid, Field("AccountSid"));
        Assert.True(TwilioSid.IsValid(Field("MessageSid"), "MM"));
        Assert.Equal(TwilioSignatureValidator.ComputeSignature(twilio.AuthToken, url.OriginalString, request.Form), request.Header("X-Twilio-Signature"));
        Assert.Equal(delivery.IdempotencyToken, request.Header("I-Twilio-Idempotency-Token"));
        Assert.Equal("queued", replyState.Body.Str("status"));
    }

    [Fact]
    public async Task ConversationEvents_MessageParticipantDelivery_PostSignedWebhooks()
    {
        await using var receiver = await WireServer.StartAsync(_ => new WireResponse(200));
        await using var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { ConversationsWebhookUrl = new Uri(receiver.BaseUrl, "conversations") });
        using var http = EmulatorClient.Raw(twilio);
        var conversation = (await http.PostAsync("/v1/Conversations", ("UniqueName", "ev"))).Body.Str("sid");
        var participant = (await http.PostAsync($"/v1/Conversations/{conversation}/Participants", ("MessagingBinding.Address", "+14155550100"), ("MessagingBinding.ProxyAddress", "+14155551234"))).Body.Str("sid");
        var message = (await http.PostAsync($"/v1/Conversations/{conversation}/Messages", ("Author", "agent"), ("Body", "Hi"))).Body.Str("sid");

        var added = await twilio.DeliverParticipantAddedAsync("ev", participant);
        var messageAdded = await twilio.DeliverMessageAddedAsync(conversation, message);
        var delivery = await twilio.DeliverDeliveryUpdatedAsync(conversation, message, participant, "undelivered", 30003);

        Assert.Equal("onParticipantAdded", added.Parameter("EventType"));
        Assert.Equal("+14155550100", added.Parameter("MessagingBinding.Address"));
        Assert.Equal("onMessageAdded", messageAdded.Parameter("EventType"));
        Assert.Equal("Hi", messageAdded.Parameter("Body"));
        Assert.Equal("0", messageAdded.Parameter("Index"));
        Assert.Equal(twilio.ChatServiceSid, messageAdded.Parameter("ChatServiceSid"));
        Assert.Equal("onDeliveryUpdated", delivery.Parameter("EventType"));
        Assert.Equal("undelivered", delivery.Parameter("Status"));
        Assert.Equal("30003", delivery.Parameter("ErrorCode"));
        Assert.True(TwilioSid.IsValid(delivery.Parameter("DeliveryReceiptSid"), "DY"));
        var received = receiver.Requests.ToList();
        Assert.Equal(3, received.Count);
        Assert.All(received, r => Assert.Equal(TwilioSignatureValidator.ComputeSignature(twilio.AuthToken, new Uri(receiver.BaseUrl, "conversations").OriginalString, r.Form), r.Header("X-Twilio-Signature")));
        Assert.Equal(3, received.Select(r => r.Header("I-Twilio-Idempotency-Token")).Distinct().Count());
        await Assert.ThrowsAsync<ArgumentException>(() => twilio.DeliverMessageAddedAsync(conversation, "IM" + new string('0', 32)));
    }

    [Fact]
    public async Task SendStatusCallbacks_DuplicatesWithOwnTokens_SendDistinctIdempotencyTokens()
    {
        await using var receiver = await WireServer.StartAsync(_ => new WireResponse(200));
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var sid = (await http.PostAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Messages.json", ("To", "+14155550100"), ("From", "+14155551234"), ("Body", "x"), ("StatusCallback", new Uri(receiver.BaseUrl, "s").AbsoluteUri))).Body.Str("sid");

        var deliveries = await twilio.SendStatusCallbacksAsync(sid, new StatusCallbackPlan { Statuses = ["delivered"], Duplicate = true, DuplicatesShareIdempotencyToken = false });

        Assert.Equal(2, deliveries.Count);
        Assert.NotEqual(deliveries[0].IdempotencyToken, deliveries[1].IdempotencyToken);
        Assert.Equal(deliveries[0].Signature, deliveries[1].Signature);
    }

    [Fact]
    public async Task SendStatusCallbacks_MessageWithoutCallbackUrl_Throws()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var sid = (await http.PostAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Messages.json", ("To", "+14155550100"), ("From", "+14155551234"), ("Body", "x"))).Body.Str("sid");

        await Assert.ThrowsAsync<ArgumentException>(() => twilio.SendStatusCallbacksAsync(sid));
        await Assert.ThrowsAsync<ArgumentException>(() => twilio.SendStatusCallbacksAsync("SM" + new string('0', 32)));
    }
}
