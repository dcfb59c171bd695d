using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Testing.Tests;

public sealed class MessagingEmulatorTests
{
    private const string Sender = "+14155551234";
    private const string User = "+14155550100";
    private const string WaSender = "whatsapp:+14155238886";
    private const string WaUser = "whatsapp:+447700900123";

    private static string Messages(TwilioEmulator twilio) => $"/2010-04-01/Accounts/{twilio.AccountSid}/Messages.json";

    [Fact]
    public async Task CreateMessage_Sms_Returns201QueuedAndCanBeFetchedAndListed()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        await using var provider = EmulatorClient.CreateServices(twilio);
        var client = provider.GetRequiredService<TwilioApiClient>();

        var sent = await client.SendAsync(
            new TwilioRequest(HttpMethod.Post, TwilioProduct.Api, $"/2010-04-01/Accounts/{client.AccountSid}/Messages.json")
                .AddForm("To", User).AddForm("From", Sender).AddForm("Body", "Hi there"),
            EmulatorClient.Element);
        var sid = sent.Str("sid");
        var fetched = await client.SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, $"/2010-04-01/Accounts/{client.AccountSid}/Messages/{sid}.json"), EmulatorClient.Element);
        var listed = await client.ListAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, $"/2010-04-01/Accounts/{client.AccountSid}/Messages.json").AddQuery("To", User), "messages", EmulatorClient.Element).ToListAsync();

        Assert.True(TwilioSid.IsValid(sid, "SM"));
        Assert.Equal("queued", sent.Str("status"));
        Assert.Equal("outbound-api", sent.Str("direction"));
        Assert.Equal("2010-04-01", sent.Str("api_version"));
        Assert.Equal("1", sent.Str("num_segments"));
        Assert.Equal(JsonValueKind.Null, sent.GetProperty("error_code").ValueKind);
        Assert.Equal("Hi there", fetched.Str("body"));
        Assert.Equal(sid, Assert.Single(listed).Str("sid"));
    }

    [Fact]
    public async Task CreateMessage_MessagingServiceAndMedia_AcceptedWithMmSid()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);

        var (status, body) = await http.PostAsync(Messages(twilio), ("To", User), ("MessagingServiceSid", "MG" + new string('1', 32)), ("MediaUrl", "https://example.com/a.jpg"), ("MediaUrl", "https://example.com/b.jpg"));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.True(TwilioSid.IsValid(body.Str("sid"), "MM"));
        Assert.Equal("accepted", body.Str("status"));
        Assert.Equal("2", body.Str("num_media"));
    }

    [Theory]
    [InlineData("4155550100")]
    [InlineData("+1 415 555 0100")]
    [InlineData("whatsapp:4155550100")]
    [InlineData("+14155551234")]
    public async Task CreateMessage_InvalidTo_Returns400With21211(string to)
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);

        var (status, body) = await http.PostAsync(Messages(twilio), ("To", to), ("From", Sender), ("Body", "x"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(21211, body.Code());
    }

    [Fact]
    public async Task CreateMessage_OptedOutRecipient_Returns400With21610UntilOptIn()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        twilio.OptOut(Sender, User);

        var blocked = await http.PostAsync(Messages(twilio), ("To", User), ("From", Sender), ("Body", "x"));
        var otherSender = await http.PostAsync(Messages(twilio), ("To", User), ("From", "+14155559999"), ("Body", "x"));
        twilio.OptIn(Sender, User);
        var allowed = await http.PostAsync(Messages(twilio), ("To", User), ("From", Sender), ("Body", "x"));

        Assert.Equal(HttpStatusCode.BadRequest, blocked.Status);
        Assert.Equal(21610, blocked.Body.Code());
        Assert.Equal(HttpStatusCode.Created, otherSender.Status);
        Assert.Equal(HttpStatusCode.Created, allowed.Status);
    }

    [Fact]
    public async Task CreateMessage_MessagingServiceScopeOptOut_BlocksServiceSends()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var service = "MG" + new string('2', 32);
        twilio.OptOut(service, User);

        var (status, body) = await http.PostAsync(Messages(twilio), ("To", User), ("MessagingServiceSid", service), ("Body", "x"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(21610, body.Code());
    }

    [Fact]
    public async Task CreateMessage_WhatsAppFreeFormOutsideWindow_FailsWith63016AndWithinWindowSucceeds()
    {
        var clock = new ManualTimeProvider();
        await using var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { TimeProvider = clock });
        using var http = EmulatorClient.Raw(twilio);

        var noWindow = await http.PostAsync(Messages(twilio), ("To", WaUser), ("From", WaSender), ("Body", "hello"));
        twilio.RecordInbound(WaUser, WaSender);
        clock.Advance(TimeSpan.FromHours(23));
        var inWindow = await http.PostAsync(Messages(twilio), ("To", WaUser), ("From", WaSender), ("Body", "hello"));
        clock.Advance(TimeSpan.FromHours(2));
        var expired = await http.PostAsync(Messages(twilio), ("To", WaUser), ("From", WaSender), ("Body", "hello"));
        var template = await http.PostAsync(Messages(twilio), ("To", WaUser), ("From", WaSender), ("ContentSid", twilio.AddContentTemplate("Your order shipped")));

        Assert.Equal(HttpStatusCode.Created, noWindow.Status);
        var failed = await http.GetJsonAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Messages/{noWindow.Body.Str("sid")}.json");
        Assert.Equal("failed", failed.Body.Str("status"));
        Assert.Equal(63016, failed.Body.GetProperty("error_code").GetInt32());
        var ok = await http.GetJsonAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Messages/{inWindow.Body.Str("sid")}.json");
        Assert.Equal("queued", ok.Body.Str("status"));
        var late = await http.GetJsonAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Messages/{expired.Body.Str("sid")}.json");
        Assert.Equal(63016, late.Body.GetProperty("error_code").GetInt32());
        Assert.Equal(HttpStatusCode.Created, template.Status);
        Assert.Equal("Your order shipped", template.Body.Str("body"));
    }

    [Fact]
    public async Task CreateMessage_SynchronousChannelErrors_Returns400With63016()
    {
        await using var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { ChannelErrorsAreSynchronous = true });
        using var http = EmulatorClient.Raw(twilio);

        var (status, body) = await http.PostAsync(Messages(twilio), ("To", WaUser), ("From", WaSender), ("Body", "hello"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(63016, body.Code());
    }

    [Fact]
    public async Task CreateMessage_AboveSenderRateSynchronous_Returns400With63018AndRecoversNextSecond()
    {
        var clock = new ManualTimeProvider();
        await using var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { TimeProvider = clock, ChannelErrorsAreSynchronous = true });
        using var http = EmulatorClient.Raw(twilio);
        twilio.SetSenderRate(Sender, 2);

        var first = await http.PostAsync(Messages(twilio), ("To", User), ("From", Sender), ("Body", "1"));
        var second = await http.PostAsync(Messages(twilio), ("To", User), ("From", Sender), ("Body", "2"));
        var third = await http.PostAsync(Messages(twilio), ("To", User), ("From", Sender), ("Body", "3"));
        clock.Advance(TimeSpan.FromSeconds(1));
        var fourth = await http.PostAsync(Messages(twilio), ("To", User), ("From", Sender), ("Body", "4"));

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.Created, second.Status);
        Assert.Equal(HttpStatusCode.BadRequest, third.Status);
        Assert.Equal(63018, third.Body.Code());
        Assert.Equal(HttpStatusCode.Created, fourth.Status);
    }

    [Fact]
    public async Task CreateMessage_UnknownContentSid_Returns400With21655()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);

        var (status, body) = await http.PostAsync(Messages(twilio), ("To", WaUser), ("From", WaSender), ("ContentSid", "HX" + new string('d', 32)), ("ContentVariables", "{\"1\":\"Ada\"}"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(21655, body.Code());
    }

    [Theory]
    [InlineData("21604", "From", Sender, "Body", "x")]
    [InlineData("21603", "To", User, "Body", "x")]
    [InlineData("21602", "To", User, "From", Sender)]
    public async Task CreateMessage_MissingRequiredPart_Returns400WithTwilioCode(string code, string k1, string v1, string k2, string v2)
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);

        var (status, body) = await http.PostAsync(Messages(twilio), (k1, v1), (k2, v2));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(int.Parse(code, System.Globalization.CultureInfo.InvariantCulture), body.Code());
    }

    [Theory]
    [InlineData("ProvideFeedback", "True")]
    [InlineData("StatusCallback", "")]
    [InlineData("StatusCallback", "not a url")]
    [InlineData("MediaUrl", "relative/path.jpg")]
    [InlineData("RiskCheck", "on")]
    [InlineData("ValidityPeriod", "ten")]
    [InlineData("Tags", "x")]
    public async Task CreateMessage_FieldTheSpecRejects_Returns400With20001(string key, string value)
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);

        var (status, body) = await http.PostAsync(Messages(twilio), ("To", User), ("From", Sender), ("Body", "x"), (key, value));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(20001, body.Code());
    }

    [Fact]
    public async Task DeliverInboundMessage_Stop_OptsOutAndStartOptsBackIn()
    {
        await using var receiver = await WireServer.StartAsync(_ => new WireResponse(200));
        await using var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { WebhookUrl = new Uri(receiver.BaseUrl, "sms") });
        using var http = EmulatorClient.Raw(twilio);

        await twilio.DeliverInboundMessageAsync(User, Sender, " sToP ");
        var blocked = await http.PostAsync(Messages(twilio), ("To", User), ("From", Sender), ("Body", "x"));
        await twilio.DeliverInboundMessageAsync(User, Sender, "stop please");
        var stillBlocked = twilio.IsOptedOut(Sender, User);
        await twilio.DeliverInboundMessageAsync(User, Sender, "START");
        var allowed = await http.PostAsync(Messages(twilio), ("To", User), ("From", Sender), ("Body", "x"));

        Assert.Equal(21610, blocked.Body.Code());
        Assert.True(stillBlocked);
        Assert.Equal(HttpStatusCode.Created, allowed.Status);
    }
}
