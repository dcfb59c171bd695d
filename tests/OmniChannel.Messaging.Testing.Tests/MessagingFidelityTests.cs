using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Sms;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Testing.Tests;

/// <summary>Twilio's behaviour the emulator reproduces beyond the wire format: channel errors, callbacks, paging, keywords, pricing.</summary>
public sealed class MessagingFidelityTests
{
    private const string Sender = "+14155551234";
    private const string User = "+14155550100";
    private const string WaSender = "whatsapp:+14155238886";
    private const string WaUser = "whatsapp:+447700900123";
    private const string Service = "MG11111111111111111111111111111111";

    [Fact]
    public async Task CreateMessage_AboveSenderRate_Answers201ThenFetchAndCallbacksReportFailed63018()
    {
        var clock = new ManualTimeProvider();
        await using var receiver = await WireServer.StartAsync(_ => new WireResponse(204));
        await using var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { TimeProvider = clock });
        using var http = EmulatorClient.Raw(twilio);
        twilio.SetSenderRate(Sender, 1);
        var callback = new Uri(receiver.BaseUrl, "status").AbsoluteUri;

        var first = await http.PostAsync(Messages(twilio), ("To", User), ("From", Sender), ("Body", "1"), ("StatusCallback", callback));
        var throttled = await http.PostAsync(Messages(twilio), ("To", User), ("From", Sender), ("Body", "2"), ("StatusCallback", callback));
        var fetched = await http.GetJsonAsync(Message(twilio, throttled.Body.Str("sid")));
        var deliveries = await twilio.SendStatusCallbacksAsync(throttled.Body.Str("sid"));

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.Created, throttled.Status);
        Assert.Equal("queued", throttled.Body.Str("status"));
        Assert.Equal("failed", fetched.Body.Str("status"));
        Assert.Equal(63018, fetched.Body.GetProperty("error_code").GetInt32());
        Assert.Equal(["queued", "failed"], deliveries.Select(d => d.Parameter("MessageStatus")));
        Assert.Equal("63018", deliveries[^1].Parameter("ErrorCode"));
        Assert.Equal(JsonValueKind.Null, (await http.GetJsonAsync(Message(twilio, throttled.Body.Str("sid")))).Body.GetProperty("price").ValueKind);
    }

    [Fact]
    public async Task SmsSendAsync_SynchronousChannelRate_FailsRetryableWithoutTheTransportRetryingIt()
    {
        await using var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { ChannelErrorsAreSynchronous = true });
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(twilio.ConfigureClient)
            .Configure(o =>
            {
                o.Retry.MaxAttempts = 3;
                o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
                o.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
            })
            .AddSms(o => o.From = Sender);
        await using var provider = services.BuildServiceProvider();
        var sms = provider.GetRequiredService<ISmsClient>();
        twilio.SetSenderRate(Sender, 1);

        var first = await sms.SendAsync(User, "1");
        var second = await sms.SendAsync(User, "2");

        Assert.Equal(MessageSendOutcome.Accepted, first.Outcome);
        Assert.Equal(MessageSendOutcome.Failed, second.Outcome);
        Assert.Equal(63018, second.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.HttpStatus);
        Assert.True(second.IsRetryable);

        // A 429 would have been retried at once by the transport as a 20429; a 400 is not.
        Assert.Equal(2, twilio.Requests.Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task SendStatusCallbacks_MessagingServiceSend_ReportsAcceptedQueuedSendingSentDelivered()
    {
        await using var receiver = await WireServer.StartAsync(_ => new WireResponse(204));
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var callback = new Uri(receiver.BaseUrl, "status").AbsoluteUri;
        var sms = await http.PostAsync(Messages(twilio), ("To", User), ("MessagingServiceSid", Service), ("Body", "x"), ("StatusCallback", callback));
        twilio.RecordInbound(WaUser, Service);
        var whatsApp = await http.PostAsync(Messages(twilio), ("To", WaUser), ("MessagingServiceSid", Service), ("Body", "x"), ("StatusCallback", callback));

        var smsDeliveries = await twilio.SendStatusCallbacksAsync(sms.Body.Str("sid"));
        var whatsAppDeliveries = await twilio.SendStatusCallbacksAsync(whatsApp.Body.Str("sid"));

        Assert.Equal("accepted", sms.Body.Str("status"));
        Assert.Equal(["accepted", "queued", "sending", "sent", "delivered"], smsDeliveries.Select(d => d.Parameter("MessageStatus")));
        Assert.Equal(["accepted", "queued", "sending", "sent", "delivered", "read"], whatsAppDeliveries.Select(d => d.Parameter("MessageStatus")));
        Assert.All(smsDeliveries, d => Assert.Equal(Service, d.Parameter("MessagingServiceSid")));
    }

    [Fact]
    public async Task SendStatusCallbacks_ServiceSendWithoutOwnCallback_PostsToThePlansUrlAndOwnCallbackWins()
    {
        await using var receiver = await WireServer.StartAsync(_ => new WireResponse(204));
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var serviceUrl = new Uri(receiver.BaseUrl, "service-status");
        var bare = await http.PostAsync(Messages(twilio), ("To", User), ("MessagingServiceSid", Service), ("Body", "x"));
        var own = await http.PostAsync(Messages(twilio), ("To", User), ("MessagingServiceSid", Service), ("Body", "x"), ("StatusCallback", new Uri(receiver.BaseUrl, "own").AbsoluteUri));

        await Assert.ThrowsAsync<ArgumentException>(() => twilio.SendStatusCallbacksAsync(bare.Body.Str("sid")));
        var toService = await twilio.SendStatusCallbacksAsync(bare.Body.Str("sid"), new StatusCallbackPlan { Url = serviceUrl, Statuses = ["sent"] });
        var toOwn = await twilio.SendStatusCallbacksAsync(own.Body.Str("sid"), new StatusCallbackPlan { Url = serviceUrl, Statuses = ["sent"] });

        Assert.Equal(serviceUrl.AbsoluteUri, Assert.Single(toService).Url);
        Assert.Equal(new Uri(receiver.BaseUrl, "own").AbsoluteUri, Assert.Single(toOwn).Url);
        Assert.Equal(["/service-status", "/own"], receiver.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task ListMessages_FollowingNextPageUri_PagesThroughEveryMessageWithStartAndEnd()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var sent = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            sent.Add((await http.PostAsync(Messages(twilio), ("To", User), ("From", Sender), ("Body", $"m{i}"))).Body.Str("sid"));
        }

        var pages = new List<JsonElement>();
        var next = $"{Messages(twilio)}?To={Uri.EscapeDataString(User)}&PageSize=2";
        while (next is not null)
        {
            var (status, page) = await http.GetJsonAsync(next);
            Assert.Equal(HttpStatusCode.OK, status);
            pages.Add(page);
            next = page.GetProperty("next_page_uri").GetString();
        }

        Assert.Equal(3, pages.Count);
        Assert.Equal([0, 2, 4], pages.Select(p => p.GetProperty("start").GetInt32()));
        Assert.Equal([1, 3, 4], pages.Select(p => p.GetProperty("end").GetInt32()));
        Assert.Equal([0, 1, 2], pages.Select(p => p.GetProperty("page").GetInt32()));
        Assert.All(pages, p => Assert.Equal(2, p.GetProperty("page_size").GetInt32()));
        Assert.Equal(JsonValueKind.Null, pages[0].GetProperty("previous_page_uri").ValueKind);
        Assert.Contains("PageToken=", pages[0].GetProperty("next_page_uri").GetString(), StringComparison.Ordinal);
        Assert.StartsWith(Messages(twilio) + "?", pages[1].GetProperty("previous_page_uri").GetString(), StringComparison.Ordinal);
        Assert.Equal(Enumerable.Reverse(sent), pages.SelectMany(p => p.GetProperty("messages").EnumerateArray()).Select(m => m.Str("sid")));
    }

    [Fact]
    public async Task ListMessages_EmptyResult_StartAndEndAreZeroAsInTheSpecExamples()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);

        var (status, page) = await http.GetJsonAsync($"{Messages(twilio)}?To=%2B14155559999");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(page.GetProperty("messages").EnumerateArray());
        Assert.Equal(0, page.GetProperty("start").GetInt32());
        Assert.Equal(0, page.GetProperty("end").GetInt32());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_page_uri").ValueKind);
        Assert.Equal(50, page.GetProperty("page_size").GetInt32());
    }

    [Fact]
    public async Task ListMessages_SdkListAsync_FollowsEveryPage()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        await using var provider = EmulatorClient.CreateServices(twilio);
        var client = provider.GetRequiredService<TwilioApiClient>();
        using var http = EmulatorClient.Raw(twilio);
        for (var i = 0; i < 7; i++)
        {
            await http.PostAsync(Messages(twilio), ("To", User), ("From", Sender), ("Body", $"m{i}"));
        }

        var listed = await client.ListAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, Messages(twilio)).AddQuery("PageSize", "3"), "messages", EmulatorClient.Element).ToListAsync();

        Assert.Equal(7, listed.Count);
        Assert.Equal(3, twilio.Requests.Count(r => r.Method == "GET"));
    }

    [Theory]
    [InlineData(2, HttpStatusCode.OK)]
    [InlineData(1000, HttpStatusCode.OK)]
    [InlineData(1001, HttpStatusCode.BadRequest)]
    public async Task ListMessages_PageSize_AllowsUpToTheSpecsMaximumOf1000(int pageSize, HttpStatusCode expected)
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);

        var (status, _) = await http.GetJsonAsync($"{Messages(twilio)}?PageSize={pageSize}");

        Assert.Equal(expected, status);
    }

    [Fact]
    public async Task DeliverInboundMessage_WhatsAppStop_DoesNotOptOutButSmsStopDoes()
    {
        await using var receiver = await WireServer.StartAsync(_ => new WireResponse(200));
        await using var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { WebhookUrl = new Uri(receiver.BaseUrl, "in") });
        using var http = EmulatorClient.Raw(twilio);

        await twilio.DeliverInboundMessageAsync(WaUser, WaSender, "STOP");
        await twilio.DeliverInboundMessageAsync(WaUser, WaSender, "STOP", messagingServiceSid: Service);
        await twilio.DeliverInboundMessageAsync(User, Sender, "STOP");
        var whatsApp = await http.PostAsync(Messages(twilio), ("To", WaUser), ("From", WaSender), ("Body", "Still here"));
        var sms = await http.PostAsync(Messages(twilio), ("To", User), ("From", Sender), ("Body", "x"));

        Assert.False(twilio.IsOptedOut(WaSender, WaUser));
        Assert.False(twilio.IsOptedOut(Service, WaUser));
        Assert.Equal(HttpStatusCode.Created, whatsApp.Status);
        Assert.Equal(HttpStatusCode.BadRequest, sms.Status);
        Assert.Equal(21610, sms.Body.Code());
    }

    [Fact]
    public async Task OptOut_WhatsAppExplicitly_StandsInForAdvancedOptOut()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        twilio.RecordInbound(WaUser, WaSender);
        twilio.OptOut(WaSender, WaUser);

        var (status, body) = await http.PostAsync(Messages(twilio), ("To", WaUser), ("From", WaSender), ("Body", "x"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(21610, body.Code());
    }

    [Fact]
    public async Task RequestsPerSecond_AboveLimit_429CarriesRetryAfterOneSecond()
    {
        var clock = new ManualTimeProvider();
        await using var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { TimeProvider = clock, RequestsPerSecond = 1 });
        using var http = EmulatorClient.Raw(twilio);

        using var allowed = await http.GetAsync(new Uri("v1/Conversations", UriKind.Relative));
        using var limited = await http.GetAsync(new Uri("v1/Conversations", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Null(allowed.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), limited.Headers.RetryAfter?.Delta);
    }

    [Theory]
    [InlineData("a", 1)]
    [InlineData("a", 160)]
    [InlineData("a", 161)]
    [InlineData("a", 306)]
    [InlineData("a", 307)]
    [InlineData("€", 80)]
    [InlineData("€", 81)]
    [InlineData("ж", 70)]
    [InlineData("ж", 71)]
    [InlineData("ж", 134)]
    [InlineData("ж", 135)]
    [InlineData("😀", 35)]
    [InlineData("😀", 36)]
    public async Task CreateMessage_NumSegments_AgreesWithTheSmsSegmentCalculator(string unit, int repeat)
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var body = string.Concat(Enumerable.Repeat(unit, repeat));
        if (body.Length > 1600)
        {
            body = body[..1600];
        }

        var (status, sent) = await http.PostAsync(Messages(twilio), ("To", User), ("From", Sender), ("Body", "x" + body));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(SmsSegments.Calculate("x" + body).Segments.ToString(CultureInfo.InvariantCulture), sent.Str("num_segments"));
    }

    [Fact]
    public async Task CreateMessage_NumSegments_EdgeOfGsmExtensionAndSurrogates()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        string[] bodies = [new string('a', 152) + "€" + "a", new string('ж', 66) + "😀" + "ж", "Hello [world] {ok} ~^|\\"];

        foreach (var body in bodies)
        {
            var (_, sent) = await http.PostAsync(Messages(twilio), ("To", User), ("From", Sender), ("Body", body));
            Assert.Equal(SmsSegments.Calculate(body).Segments.ToString(CultureInfo.InvariantCulture), sent.Str("num_segments"));
        }
    }

    [Fact]
    public async Task FetchMessage_AfterDelivery_PriceIsNegativePerSegmentInUsd()
    {
        await using var receiver = await WireServer.StartAsync(_ => new WireResponse(204));
        await using var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { PricePerSegment = 0.0083m });
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(twilio.ConfigureClient).AddSms(o =>
        {
            o.From = Sender;
            o.StatusCallback = new Uri(receiver.BaseUrl, "status");
        });
        await using var provider = services.BuildServiceProvider();
        var sms = provider.GetRequiredService<ISmsClient>();

        var sent = await sms.SendAsync(User, new string('a', 200));
        var queued = await sms.GetAsync(sent.MessageSid!);
        await twilio.SendStatusCallbacksAsync(sent.MessageSid!);
        var delivered = await sms.GetAsync(sent.MessageSid!);
        using var http = EmulatorClient.Raw(twilio);
        var raw = (await http.GetJsonAsync(Message(twilio, sent.MessageSid!))).Body;

        Assert.Null(queued.Price);
        Assert.Equal(2, delivered.Segments);
        Assert.Equal(-0.0166m, delivered.Price);
        Assert.Equal("USD", delivered.PriceUnit);
        Assert.Equal("-0.01660", raw.Str("price"));
    }

    [Fact]
    public async Task StartAsync_NegativePricePerSegment_Throws()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => TwilioEmulator.StartAsync(new TwilioEmulatorOptions { PricePerSegment = -0.01m }));
    }

    private static string Messages(TwilioEmulator twilio) => $"/2010-04-01/Accounts/{twilio.AccountSid}/Messages.json";

    private static string Message(TwilioEmulator twilio, string sid) => $"/2010-04-01/Accounts/{twilio.AccountSid}/Messages/{sid}.json";
}
