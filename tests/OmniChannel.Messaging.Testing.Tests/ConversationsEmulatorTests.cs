using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace OmniChannel.Messaging.Testing.Tests;

public sealed class ConversationsEmulatorTests
{
    [Fact]
    public async Task StartAsync_Defaults_GeneratesValidCredentialsAndLoopbackUrl()
    {
        await using var twilio = await TwilioEmulator.StartAsync();

        Assert.True(TwilioSid.IsValid(twilio.AccountSid, "AC"));
        Assert.True(TwilioSid.IsValid(twilio.ChatServiceSid, "IS"));
        Assert.Equal(32, twilio.AuthToken.Length);
        Assert.Equal("127.0.0.1", twilio.BaseUrl.Host);
        Assert.NotEqual(0, twilio.BaseUrl.Port);
    }

    [Fact]
    public async Task ConfigureClient_SdkClient_CreatesFetchesAndListsThroughTheEmulator()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        await using var provider = EmulatorClient.CreateServices(twilio);
        var client = provider.GetRequiredService<TwilioApiClient>();

        var created = await client.SendAsync(
            new TwilioRequest(HttpMethod.Post, TwilioProduct.Conversations, "/v1/Conversations")
                .AddForm("UniqueName", "case-1").AddForm("FriendlyName", "Case 1").AddForm("Attributes", "{\"tenant\":\"acme\"}"),
            EmulatorClient.Element);
        var sid = created.Str("sid");
        var fetched = await client.SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Conversations, "/v1/Conversations/case-1"), EmulatorClient.Element);
        var listed = await client.ListAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Conversations, "/v1/Conversations"), "conversations", EmulatorClient.Element).ToListAsync();

        Assert.True(TwilioSid.IsValid(sid, "CH"));
        Assert.Equal(twilio.AccountSid, created.Str("account_sid"));
        Assert.Equal(twilio.ChatServiceSid, created.Str("chat_service_sid"));
        Assert.Equal("active", created.Str("state"));
        Assert.Equal("{\"tenant\":\"acme\"}", created.Str("attributes"));
        Assert.Equal(sid, fetched.Str("sid"));
        Assert.Equal("Case 1", fetched.Str("friendly_name"));
        Assert.Equal(sid, Assert.Single(listed).Str("sid"));
    }

    [Fact]
    public async Task CreateConversation_DuplicateUniqueName_Returns409With50353()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);

        var first = await http.PostAsync("/v1/Conversations", ("UniqueName", "dup"));
        var second = await http.PostAsync("/v1/Conversations", ("UniqueName", "dup"));

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.Conflict, second.Status);
        Assert.Equal(50353, second.Body.Code());
        Assert.Equal(409, second.Body.GetProperty("status").GetInt32());
        Assert.Equal("https://www.twilio.com/docs/errors/50353", second.Body.Str("more_info"));
    }

    [Fact]
    public async Task CreateConversation_ParallelCreatesWithOneUniqueName_ExactlyOneWins()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);

        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Task.Run(() => http.PostAsync("/v1/Conversations", ("UniqueName", "race")))));

        Assert.Single(results, r => r.Status == HttpStatusCode.Created);
        Assert.All(results.Where(r => r.Status != HttpStatusCode.Created), r =>
        {
            Assert.Equal(HttpStatusCode.Conflict, r.Status);
            Assert.Equal(50353, r.Body.Code());
        });
        var list = await http.GetJsonAsync("/v1/Conversations");
        Assert.Equal(1, list.Body.GetProperty("conversations").GetArrayLength());
    }

    [Fact]
    public async Task UpdateAndDeleteConversation_ByUniqueName_ChangesThenRemovesIt()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var created = await http.PostAsync("/v1/Conversations", ("UniqueName", "u1"));

        var updated = await http.PostAsync("/v1/Conversations/u1", ("State", "closed"), ("FriendlyName", "Closed one"));
        var deleted = await http.DeleteResourceAsync($"/v1/Conversations/{created.Body.Str("sid")}");
        var fetched = await http.GetJsonAsync("/v1/Conversations/u1");
        var recreated = await http.PostAsync("/v1/Conversations", ("UniqueName", "u1"));

        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal("closed", updated.Body.Str("state"));
        Assert.Equal("Closed one", updated.Body.Str("friendly_name"));
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Equal(HttpStatusCode.NotFound, fetched.Status);
        Assert.Equal(20404, fetched.Body.Code());
        Assert.Equal(HttpStatusCode.Created, recreated.Status);
    }

    [Fact]
    public async Task ListConversations_PagingAndStateFilter_FollowsNextPageUrlAndFilters()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        for (var i = 0; i < 5; i++)
        {
            await http.PostAsync("/v1/Conversations", ("UniqueName", $"c{i}"), ("State", i % 2 == 0 ? "active" : "inactive"));
        }

        var page0 = await http.GetJsonAsync("/v1/Conversations?PageSize=2");
        var next = page0.Body.GetProperty("meta").Str("next_page_url");
        var page1 = await http.GetJsonAsync(new Uri(next).PathAndQuery);
        var inactive = await http.GetJsonAsync("/v1/Conversations?State=inactive");
        var badState = await http.GetJsonAsync("/v1/Conversations?State=open");

        var meta = page0.Body.GetProperty("meta");
        Assert.Equal(2, page0.Body.GetProperty("conversations").GetArrayLength());
        Assert.Equal(0, meta.GetProperty("page").GetInt32());
        Assert.Equal(2, meta.GetProperty("page_size").GetInt32());
        Assert.Equal("conversations", meta.Str("key"));
        Assert.Equal(JsonValueKind.Null, meta.GetProperty("previous_page_url").ValueKind);
        Assert.StartsWith(twilio.BaseUrl.AbsoluteUri.TrimEnd('/'), next);
        Assert.Equal("c2", page1.Body.GetProperty("conversations")[0].Str("unique_name"));
        Assert.Equal(1, page1.Body.GetProperty("meta").GetProperty("page").GetInt32());
        Assert.Equal(new[] { "c1", "c3" }, inactive.Body.GetProperty("conversations").EnumerateArray().Select(c => c.Str("unique_name")));
        Assert.Equal(HttpStatusCode.BadRequest, badState.Status);
    }

    [Fact]
    public async Task ListConversations_SdkListAsync_ReadsEveryPage()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        await using var provider = EmulatorClient.CreateServices(twilio);
        var client = provider.GetRequiredService<TwilioApiClient>();
        using var http = EmulatorClient.Raw(twilio);
        for (var i = 0; i < 7; i++)
        {
            await http.PostAsync("/v1/Conversations", ("UniqueName", $"p{i}"));
        }

        var all = await client.ListAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Conversations, "/v1/Conversations").AddQuery("PageSize", "3"), "conversations", EmulatorClient.Element).ToListAsync();

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"p{i}"), all.Select(c => c.Str("unique_name")));
    }

    [Theory]
    [InlineData("/v1/Conversations/CHzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    [InlineData("/v1/Conversations/CH00000000000000000000000000000000")]
    [InlineData("/v1/Conversations/no-such-name/Participants")]
    [InlineData("/v1/Services/ISnot-a-sid/Conversations")]
    [InlineData("/v1/Services/IS00000000000000000000000000000000/Conversations")]
    [InlineData("/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages.json")]
    [InlineData("/2010-04-01/Accounts/ACFIXED/Messages/SMnot-a-sid.json")]
    [InlineData("/v2/Unknown")]
    public async Task Get_UnknownOrMalformedResource_Returns404With20404(string path)
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);

        var (status, body) = await http.GetJsonAsync(path.Replace("ACFIXED", twilio.AccountSid, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(20404, body.Code());
    }

    [Fact]
    public async Task Request_WrongCredentials_Returns401With20003()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var wrongToken = EmulatorClient.Raw(twilio, password: "nope");
        using var unknownKey = EmulatorClient.Raw(twilio, user: "SK" + new string('1', 32), password: "secret");
        using var none = new HttpClient { BaseAddress = twilio.BaseUrl };

        var results = new[]
        {
            await wrongToken.GetJsonAsync("/v1/Conversations"),
            await unknownKey.GetJsonAsync("/v1/Conversations"),
            await none.GetJsonAsync("/v1/Conversations"),
        };

        Assert.All(results, r =>
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.Status);
            Assert.Equal(20003, r.Body.Code());
        });
    }

    [Fact]
    public async Task Request_RegisteredApiKey_IsAccepted()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        var keySid = "SK" + new string('a', 32);
        twilio.AddApiKey(keySid, "key-secret");
        using var http = EmulatorClient.Raw(twilio, user: keySid, password: "key-secret");

        var (status, _) = await http.GetJsonAsync("/v1/Conversations");

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task CreateParticipant_DuplicateIdentity_Returns409With50433()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var conversation = (await http.PostAsync("/v1/Conversations")).Body.Str("sid");

        var first = await http.PostAsync($"/v1/Conversations/{conversation}/Participants", ("Identity", "agent-7"));
        var second = await http.PostAsync($"/v1/Conversations/{conversation}/Participants", ("Identity", "agent-7"));

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.True(TwilioSid.IsValid(first.Body.Str("sid"), "MB"));
        Assert.Equal("agent-7", first.Body.Str("identity"));
        Assert.Equal(JsonValueKind.Null, first.Body.GetProperty("messaging_binding").ValueKind);
        Assert.Equal(HttpStatusCode.Conflict, second.Status);
        Assert.Equal(50433, second.Body.Code());
    }

    [Fact]
    public async Task CreateParticipant_SameBindingTwiceInConversation_Returns409With50437()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var conversation = (await http.PostAsync("/v1/Conversations")).Body.Str("sid");

        var first = await http.PostAsync($"/v1/Conversations/{conversation}/Participants", ("MessagingBinding.Address", "whatsapp:+447700900123"), ("MessagingBinding.ProxyAddress", "whatsapp:+14155238886"));
        var second = await http.PostAsync($"/v1/Conversations/{conversation}/Participants", ("MessagingBinding.Address", "whatsapp:+447700900123"), ("MessagingBinding.ProxyAddress", "whatsapp:+14155238886"));

        var binding = first.Body.GetProperty("messaging_binding");
        Assert.Equal("whatsapp", binding.Str("type"));
        Assert.Equal("whatsapp:+447700900123", binding.Str("address"));
        Assert.Equal("whatsapp:+14155238886", binding.Str("proxy_address"));
        Assert.Equal(HttpStatusCode.Conflict, second.Status);
        Assert.Equal(50437, second.Body.Code());
    }

    [Fact]
    public async Task CreateParticipant_BindingUsedInAnotherOpenConversation_Returns409With50416UntilThatOneCloses()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var a = (await http.PostAsync("/v1/Conversations")).Body.Str("sid");
        var b = (await http.PostAsync("/v1/Conversations")).Body.Str("sid");
        (string, string)[] sms = [("MessagingBinding.Address", "+14155550100"), ("MessagingBinding.ProxyAddress", "+14155551234")];
        await http.PostAsync($"/v1/Conversations/{a}/Participants", sms);

        var conflict = await http.PostAsync($"/v1/Conversations/{b}/Participants", sms);
        await http.PostAsync($"/v1/Conversations/{a}", ("State", "closed"));
        var afterClose = await http.PostAsync($"/v1/Conversations/{b}/Participants", sms);

        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Equal(50416, conflict.Body.Code());
        Assert.Contains(a, conflict.Body.Str("message"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, afterClose.Status);
        Assert.Equal("sms", afterClose.Body.GetProperty("messaging_binding").Str("type"));
    }

    [Fact]
    public async Task Participant_UpdateFetchListDelete_Works()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var conversation = (await http.PostAsync("/v1/Conversations")).Body.Str("sid");
        var participant = (await http.PostAsync($"/v1/Conversations/{conversation}/Participants", ("Identity", "alice"))).Body.Str("sid");
        await http.PostAsync($"/v1/Conversations/{conversation}/Participants", ("Identity", "bob"));

        var updated = await http.PostAsync($"/v1/Conversations/{conversation}/Participants/{participant}", ("Attributes", "{\"role\":\"agent\"}"), ("LastReadMessageIndex", "3"));
        var byIdentity = await http.GetJsonAsync($"/v1/Conversations/{conversation}/Participants/alice");
        var deleted = await http.DeleteResourceAsync($"/v1/Conversations/{conversation}/Participants/{participant}");
        var list = await http.GetJsonAsync($"/v1/Conversations/{conversation}/Participants");

        Assert.Equal("{\"role\":\"agent\"}", updated.Body.Str("attributes"));
        Assert.Equal(3, updated.Body.GetProperty("last_read_message_index").GetInt32());
        Assert.Equal(participant, byIdentity.Body.Str("sid"));
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Equal("bob", Assert.Single(list.Body.GetProperty("participants").EnumerateArray()).Str("identity"));
    }

    [Fact]
    public async Task Messages_CreateListOrderPagingFetchDelete_Works()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var conversation = (await http.PostAsync("/v1/Conversations", ("UniqueName", "m"))).Body.Str("sid");
        var participant = (await http.PostAsync($"/v1/Conversations/{conversation}/Participants", ("Identity", "agent-7"))).Body.Str("sid");
        var sids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var created = await http.PostAsync($"/v1/Conversations/{conversation}/Messages", ("Author", "agent-7"), ("Body", $"hello {i}"), ("Attributes", "{}"));
            Assert.Equal(HttpStatusCode.Created, created.Status);
            sids.Add(created.Body.Str("sid"));
        }

        var template = await http.PostAsync($"/v1/Conversations/{conversation}/Messages", ("ContentSid", "HX" + new string('b', 32)), ("ContentVariables", "{\"1\":\"x\"}"), ("Body", "ignored"));
        var media = await http.PostAsync($"/v1/Conversations/{conversation}/Messages", ("MediaSid", "ME" + new string('c', 32)));
        var asc = await http.GetJsonAsync($"/v1/Conversations/{conversation}/Messages?PageSize=2");
        var desc = await http.GetJsonAsync($"/v1/Conversations/{conversation}/Messages?Order=desc&PageSize=2");
        var fetched = await http.GetJsonAsync($"/v1/Conversations/{conversation}/Messages/{sids[1]}");
        var deleted = await http.DeleteResourceAsync($"/v1/Conversations/{conversation}/Messages/{sids[1]}");
        var gone = await http.GetJsonAsync($"/v1/Conversations/{conversation}/Messages/{sids[1]}");
        var badOrder = await http.GetJsonAsync($"/v1/Conversations/{conversation}/Messages?Order=up");

        Assert.Equal(new[] { 0, 1 }, asc.Body.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("index").GetInt32()));
        Assert.NotNull(asc.Body.GetProperty("meta").GetProperty("next_page_url").GetString());
        Assert.Equal(new[] { 4, 3 }, desc.Body.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("index").GetInt32()));
        Assert.Contains("Order=desc", desc.Body.GetProperty("meta").Str("next_page_url"), StringComparison.Ordinal);
        Assert.Equal("hello 1", fetched.Body.Str("body"));
        Assert.Equal("agent-7", fetched.Body.Str("author"));
        Assert.Equal(participant, fetched.Body.Str("participant_sid"));
        Assert.Equal(JsonValueKind.Null, template.Body.GetProperty("body").ValueKind);
        Assert.Equal("HX" + new string('b', 32), template.Body.Str("content_sid"));
        Assert.Equal("system", template.Body.Str("author"));
        Assert.Equal("ME" + new string('c', 32), media.Body.GetProperty("media")[0].Str("sid"));
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        Assert.Equal(HttpStatusCode.BadRequest, badOrder.Status);
    }

    [Fact]
    public async Task ServiceScopedPaths_KeepTheirOwnStateAndShareTheDefaultService()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var other = twilio.AddChatService();

        var inDefault = await http.PostAsync("/v1/Conversations", ("UniqueName", "same"));
        var inOther = await http.PostAsync($"/v1/Services/{other}/Conversations", ("UniqueName", "same"));
        var viaDefaultServicePath = await http.GetJsonAsync($"/v1/Services/{twilio.ChatServiceSid}/Conversations/same");
        var otherList = await http.GetJsonAsync($"/v1/Services/{other}/Conversations");
        var participant = await http.PostAsync($"/v1/Services/{other}/Conversations/same/Participants", ("Identity", "x"));

        Assert.Equal(HttpStatusCode.Created, inDefault.Status);
        Assert.Equal(HttpStatusCode.Created, inOther.Status);
        Assert.Equal(other, inOther.Body.Str("chat_service_sid"));
        Assert.Equal(inDefault.Body.Str("sid"), viaDefaultServicePath.Body.Str("sid"));
        Assert.Equal(inOther.Body.Str("sid"), Assert.Single(otherList.Body.GetProperty("conversations").EnumerateArray()).Str("sid"));
        Assert.Contains($"/v1/Services/{other}/Conversations/", participant.Body.Str("url"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MessagingBinding.Adress", "+14155550100")]
    [InlineData("identity", "lower-case-name")]
    [InlineData("RoleSid", "RL123")]
    [InlineData("DateCreated", "yesterday")]
    public async Task CreateParticipant_FieldTheSpecRejects_Returns400(string key, string value)
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var conversation = (await http.PostAsync("/v1/Conversations")).Body.Str("sid");

        var (status, body) = await http.PostAsync($"/v1/Conversations/{conversation}/Participants", ("Identity", "a"), (key, value));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(20001, body.Code());
        Assert.Contains(key, body.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateParticipant_ParallelAddsOfOneBinding_ExactlyOneWins()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var conversation = (await http.PostAsync("/v1/Conversations")).Body.Str("sid");

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
            http.PostAsync($"/v1/Conversations/{conversation}/Participants", ("MessagingBinding.Address", "+14155550100"), ("MessagingBinding.ProxyAddress", "+14155551234")))));

        Assert.Single(results, r => r.Status == HttpStatusCode.Created);
        Assert.All(results.Where(r => r.Status != HttpStatusCode.Created), r => Assert.Equal(50437, r.Body.Code()));
    }

    [Fact]
    public async Task StartAsync_GivenCredentials_UsesThemAndRejectsInvalidAccountSid()
    {
        var accountSid = "AC" + new string('e', 32);
        await using var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { AccountSid = accountSid, AuthToken = "token-1" });
        var options = new OmniChannelMessagingOptions { ApiKeySid = "SK" + new string('1', 32), ApiKeySecret = "from-env" };

        twilio.ConfigureClient(options);

        Assert.Equal(accountSid, twilio.AccountSid);
        Assert.Equal("token-1", options.AuthToken);
        Assert.Null(options.ApiKeySid);
        Assert.Null(options.ApiKeySecret);
        Assert.False(options.UseEnvironmentVariables);
        Assert.Equal(twilio.BaseUrl, options.ApiBaseUrl);
        Assert.Equal(twilio.BaseUrl, options.ConversationsBaseUrl);
        await Assert.ThrowsAsync<ArgumentException>(() => TwilioEmulator.StartAsync(new TwilioEmulatorOptions { AccountSid = "AC123" }));
    }
}
