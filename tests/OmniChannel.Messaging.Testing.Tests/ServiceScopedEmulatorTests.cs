using System.Net;
using System.Text.Json;

namespace OmniChannel.Messaging.Testing.Tests;

/// <summary>The <c>/v1/Services/{IS}/…</c> paths: the same resources as the default service, with their own state.</summary>
public sealed class ServiceScopedEmulatorTests
{
    [Fact]
    public async Task Messages_OnServicePath_CreateFetchListDeleteStayInTheService()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var service = twilio.AddChatService();
        var conversations = $"/v1/Services/{service}/Conversations";
        var conversation = (await http.PostAsync(conversations, ("UniqueName", "case"))).Body.Str("sid");

        var first = await http.PostAsync($"{conversations}/{conversation}/Messages", ("Author", "agent-7"), ("Body", "one"));
        var second = await http.PostAsync($"{conversations}/case/Messages", ("Body", "two"), ("Subject", "s"));
        var fetched = await http.GetJsonAsync($"{conversations}/{conversation}/Messages/{first.Body.Str("sid")}");
        var page = await http.GetJsonAsync($"{conversations}/{conversation}/Messages?Order=desc&PageSize=1");
        var fromDefault = await http.GetJsonAsync($"/v1/Conversations/{conversation}/Messages/{first.Body.Str("sid")}");
        var deleted = await http.DeleteResourceAsync($"{conversations}/{conversation}/Messages/{first.Body.Str("sid")}");
        var afterDelete = await http.GetJsonAsync($"{conversations}/{conversation}/Messages");

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.Created, second.Status);
        Assert.Equal("one", fetched.Body.Str("body"));
        Assert.StartsWith($"{twilio.BaseUrl.AbsoluteUri.TrimEnd('/')}{conversations}/{conversation}/Messages/", fetched.Body.Str("url"), StringComparison.Ordinal);
        Assert.Equal(second.Body.Str("sid"), Assert.Single(page.Body.GetProperty("messages").EnumerateArray()).Str("sid"));
        Assert.Contains($"{conversations}/{conversation}/Messages?Order=desc&PageSize=1&Page=1", page.Body.GetProperty("meta").Str("next_page_url"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, fromDefault.Status);
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Equal(second.Body.Str("sid"), Assert.Single(afterDelete.Body.GetProperty("messages").EnumerateArray()).Str("sid"));
    }

    [Fact]
    public async Task Participants_OnServicePath_UpdateListDelete()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var service = twilio.AddChatService();
        var conversations = $"/v1/Services/{service}/Conversations";
        var conversation = (await http.PostAsync(conversations)).Body.Str("sid");
        var chat = (await http.PostAsync($"{conversations}/{conversation}/Participants", ("Identity", "agent-7"))).Body.Str("sid");
        var sms = (await http.PostAsync($"{conversations}/{conversation}/Participants", ("MessagingBinding.Address", "+14155550100"), ("MessagingBinding.ProxyAddress", "+14155551234"))).Body.Str("sid");

        var updated = await http.PostAsync($"{conversations}/{conversation}/Participants/{chat}", ("Attributes", "{\"role\":\"lead\"}"), ("LastReadMessageIndex", "4"));
        var byIdentity = await http.GetJsonAsync($"{conversations}/{conversation}/Participants/agent-7");
        var list = await http.GetJsonAsync($"{conversations}/{conversation}/Participants?PageSize=1");
        var deleted = await http.DeleteResourceAsync($"{conversations}/{conversation}/Participants/{sms}");
        var listAfter = await http.GetJsonAsync($"{conversations}/{conversation}/Participants");
        var defaultPath = await http.GetJsonAsync($"/v1/Conversations/{conversation}/Participants");

        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal("{\"role\":\"lead\"}", updated.Body.Str("attributes"));
        Assert.Equal(4, updated.Body.GetProperty("last_read_message_index").GetInt32());
        Assert.Equal(chat, byIdentity.Body.Str("sid"));
        Assert.Single(list.Body.GetProperty("participants").EnumerateArray());
        Assert.NotEqual(JsonValueKind.Null, list.Body.GetProperty("meta").GetProperty("next_page_url").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Equal(chat, Assert.Single(listAfter.Body.GetProperty("participants").EnumerateArray()).Str("sid"));
        Assert.Equal(HttpStatusCode.NotFound, defaultPath.Status);
    }

    [Fact]
    public async Task Conversation_OnServicePath_UpdateAndDeleteByUniqueName()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var service = twilio.AddChatService();
        var conversations = $"/v1/Services/{service}/Conversations";
        await http.PostAsync(conversations, ("UniqueName", "case"));
        await http.PostAsync(conversations, ("UniqueName", "taken"));
        await http.PostAsync("/v1/Conversations", ("UniqueName", "renamed"));

        var updated = await http.PostAsync($"{conversations}/case", ("UniqueName", "renamed"), ("State", "inactive"), ("Timers.Closed", "PT1H"));
        var conflict = await http.PostAsync($"{conversations}/renamed", ("UniqueName", "taken"));
        var deleted = await http.DeleteResourceAsync($"{conversations}/renamed");
        var gone = await http.GetJsonAsync($"{conversations}/renamed");
        var defaultOne = await http.GetJsonAsync("/v1/Conversations/renamed");

        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal("renamed", updated.Body.Str("unique_name"));
        Assert.Equal("inactive", updated.Body.Str("state"));
        Assert.Equal(service, updated.Body.Str("chat_service_sid"));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Equal(50353, conflict.Body.Code());
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        Assert.Equal(HttpStatusCode.OK, defaultOne.Status);
    }

    [Fact]
    public async Task ParticipantConversations_OnServicePath_ListsOnlyThatServiceWithTheSpecsFields()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var service = twilio.AddChatService();
        var conversations = $"/v1/Services/{service}/Conversations";
        var inService = (await http.PostAsync(conversations, ("UniqueName", "case"), ("Timers.Inactive", "PT1H"))).Body.Str("sid");
        var participant = (await http.PostAsync($"{conversations}/{inService}/Participants", ("MessagingBinding.Address", "+14155550100"), ("MessagingBinding.ProxyAddress", "+14155551234"))).Body.Str("sid");
        var inDefault = (await http.PostAsync("/v1/Conversations")).Body.Str("sid");
        await http.PostAsync($"/v1/Conversations/{inDefault}/Participants", ("MessagingBinding.Address", "+14155550100"), ("MessagingBinding.ProxyAddress", "+14155559999"));

        var scoped = await http.GetJsonAsync($"/v1/Services/{service}/ParticipantConversations?Address=%2B14155550100");
        var account = await http.GetJsonAsync("/v1/ParticipantConversations?Address=%2B14155550100");
        var unknown = await http.GetJsonAsync($"/v1/Services/IS{new string('0', 32)}/ParticipantConversations?Address=%2B14155550100");
        var tooLarge = await http.GetJsonAsync($"/v1/Services/{service}/ParticipantConversations?Address=%2B14155550100&PageSize=51");

        var item = Assert.Single(scoped.Body.GetProperty("conversations").EnumerateArray());
        Assert.Equal(
            ["account_sid", "chat_service_sid", "conversation_attributes", "conversation_created_by", "conversation_date_created", "conversation_date_updated",
             "conversation_friendly_name", "conversation_sid", "conversation_state", "conversation_timers", "conversation_unique_name", "links",
             "participant_identity", "participant_messaging_binding", "participant_sid", "participant_user_sid"],
            item.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(inService, item.Str("conversation_sid"));
        Assert.Equal(service, item.Str("chat_service_sid"));
        Assert.Equal(participant, item.Str("participant_sid"));
        Assert.True(item.GetProperty("conversation_timers").TryGetProperty("date_inactive", out _));
        var baseUrl = twilio.BaseUrl.AbsoluteUri.TrimEnd('/');
        Assert.Equal($"{baseUrl}{conversations}/{inService}", item.GetProperty("links").Str("conversation"));
        Assert.Equal($"{baseUrl}{conversations}/{inService}/Participants/{participant}", item.GetProperty("links").Str("participant"));
        Assert.Contains($"/v1/Services/{service}/ParticipantConversations?", scoped.Body.GetProperty("meta").Str("url"), StringComparison.Ordinal);
        Assert.Equal(inDefault, Assert.Single(account.Body.GetProperty("conversations").EnumerateArray()).Str("conversation_sid"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(HttpStatusCode.BadRequest, tooLarge.Status);
    }
}
