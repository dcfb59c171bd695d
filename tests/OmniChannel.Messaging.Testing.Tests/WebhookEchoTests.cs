using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Testing.Tests;

public sealed class WebhookEchoTests
{
    [Fact]
    public async Task RestCallsWithWebhookEnabledHeader_EchoPostEventWebhooksSigned()
    {
        await using var receiver = await WireServer.StartAsync(_ => new WireResponse(200));
        var url = new Uri(receiver.BaseUrl, "conversations");
        await using var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { ConversationsWebhookUrl = url });
        using var http = EmulatorClient.Raw(twilio);
        http.DefaultRequestHeaders.Add("X-Twilio-Webhook-Enabled", "true");
        var conversation = (await http.PostAsync("/v1/Conversations", ("UniqueName", "echo"))).Body.Str("sid");
        var participant = (await http.PostAsync($"/v1/Conversations/{conversation}/Participants", ("Identity", "agent-7"))).Body.Str("sid");
        var message = (await http.PostAsync($"/v1/Conversations/{conversation}/Messages", ("Author", "agent-7"), ("Body", "Hello"))).Body.Str("sid");

        await twilio.WhenEchoesDeliveredAsync();

        var echoes = twilio.EchoedWebhooks;
        Assert.Equal(2, echoes.Count);
        var added = Assert.Single(echoes, e => e.Parameter("EventType") == "onParticipantAdded");
        Assert.Equal(participant, added.Parameter("ParticipantSid"));
        var messageAdded = Assert.Single(echoes, e => e.Parameter("EventType") == "onMessageAdded");
        Assert.Equal(message, messageAdded.Parameter("MessageSid"));
        Assert.Equal("Hello", messageAdded.Parameter("Body"));
        Assert.Equal(conversation, messageAdded.Parameter("ConversationSid"));
        Assert.All(receiver.Requests, r => Assert.Equal(TwilioSignatureValidator.ComputeSignature(twilio.AuthToken, url.OriginalString, r.Form), r.Header("X-Twilio-Signature")));
        Assert.Equal(2, receiver.Count);
    }

    [Fact]
    public async Task RestCallsWithoutTheHeader_FireNoWebhook()
    {
        await using var receiver = await WireServer.StartAsync(_ => new WireResponse(200));
        await using var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { ConversationsWebhookUrl = new Uri(receiver.BaseUrl, "conversations") });
        using var http = EmulatorClient.Raw(twilio);
        var conversation = (await http.PostAsync("/v1/Conversations", ("UniqueName", "quiet"))).Body.Str("sid");
        await http.PostAsync($"/v1/Conversations/{conversation}/Messages", ("Author", "agent"), ("Body", "Hi"));
        using var explicitlyOff = new HttpRequestMessage(HttpMethod.Post, new Uri(twilio.BaseUrl, $"v1/Conversations/{conversation}/Messages"))
        {
            Content = new FormUrlEncodedContent([new("Author", "agent"), new("Body", "Hi again")]),
        };
        explicitlyOff.Headers.Add("X-Twilio-Webhook-Enabled", "false");
        using var off = await http.SendAsync(explicitlyOff);

        await twilio.WhenEchoesDeliveredAsync();

        Assert.Equal(System.Net.HttpStatusCode.Created, off.StatusCode);
        Assert.Empty(twilio.EchoedWebhooks);
        Assert.Equal(0, receiver.Count);
    }

    [Fact]
    public async Task EchoToAReceiverThatIsDown_IsDroppedWithoutFailingTheRestCall()
    {
        var closedPort = new Uri("http://127.0.0.1:9/conversations");
        await using var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { ConversationsWebhookUrl = closedPort });
        using var http = EmulatorClient.Raw(twilio);
        http.DefaultRequestHeaders.Add("X-Twilio-Webhook-Enabled", "true");
        var conversation = (await http.PostAsync("/v1/Conversations", ("UniqueName", "down"))).Body.Str("sid");

        var (status, _) = await http.PostAsync($"/v1/Conversations/{conversation}/Messages", ("Author", "agent"), ("Body", "Hi"));
        await twilio.WhenEchoesDeliveredAsync();

        Assert.Equal(System.Net.HttpStatusCode.Created, status);
        Assert.Empty(twilio.EchoedWebhooks);
    }
}
