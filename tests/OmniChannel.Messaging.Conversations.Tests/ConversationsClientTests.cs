using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using OmniChannel.Messaging.Testing;

namespace OmniChannel.Messaging.Conversations.Tests;

internal sealed record CaseAttributes(string TenantId, int Priority);

[JsonSerializable(typeof(CaseAttributes))]
internal sealed partial class TestJson : JsonSerializerContext;

public sealed class ConversationsClientTests
{
    [Fact]
    public async Task ConversationLifecycle_CreateGetUpdateListCloseDelete()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        var client = fixture.Client;

        var created = await client.CreateAsync("case-100", new ConversationOptions
        {
            FriendlyName = "Case 100",
            Attributes = JsonAttributes.FromValue(new CaseAttributes("acme", 2), TestJson.Default.CaseAttributes),
            InactiveAfter = TimeSpan.FromMinutes(30),
            CloseAfter = TimeSpan.FromDays(1),
        });
        var bySid = await client.GetAsync(created.Sid);
        var byName = await client.GetAsync("case-100");
        var renamed = await client.UpdateAsync(created.Sid, new ConversationUpdate { FriendlyName = "Case 100 (VIP)", State = ConversationState.Inactive });
        var closed = await client.CloseAsync(created.Sid);
        var listed = new List<Conversation>();
        await foreach (var c in client.ListAsync(ConversationState.Closed, pageSize: 10))
        {
            listed.Add(c);
        }

        Assert.Equal(created.Sid, bySid?.Sid);
        Assert.Equal(created.Sid, byName?.Sid);
        Assert.Equal(new CaseAttributes("acme", 2), byName!.Attributes.Deserialize(TestJson.Default.CaseAttributes));
        Assert.Equal("Case 100 (VIP)", renamed.FriendlyName);
        Assert.Equal(ConversationState.Inactive, renamed.State);
        Assert.Equal(ConversationState.Closed, closed.State);
        Assert.Equal(created.Sid, Assert.Single(listed).Sid);
        var create = fixture.Twilio.Requests.First(r => r.Method == "POST");
        Assert.Equal("PT30M", create.FormValue("Timers.Inactive"));
        Assert.Equal("P1D", create.FormValue("Timers.Closed"));
        Assert.Contains(fixture.Twilio.Requests, r => r.Method == "GET" && r.QueryString == "?State=closed&PageSize=10");

        Assert.True(await client.DeleteAsync(created.Sid));
        Assert.False(await client.DeleteAsync(created.Sid));
        Assert.Null(await client.GetAsync(created.Sid));
    }

    [Fact]
    public async Task ListAsync_ManyConversations_PagesLazily()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        for (var i = 0; i < 7; i++)
        {
            await fixture.Client.CreateAsync($"page-{i}");
        }

        fixture.Twilio.ClearRequests();
        var sids = new List<string>();
        await foreach (var c in fixture.Client.ListAsync(pageSize: 3))
        {
            sids.Add(c.Sid);
        }

        Assert.Equal(7, sids.Distinct().Count());
        Assert.Equal(3, fixture.Twilio.Requests.Count);
    }

    [Fact]
    public async Task Messages_SendGetListInBothOrdersAndDelete()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        var client = fixture.Client;
        var conversation = await client.CreateAsync("chat-1");
        var template = fixture.Twilio.AddContentTemplate("Hello {{1}}");

        var first = await client.SendMessageAsync(conversation.Sid, "agent-7", "Hi");
        var second = await client.SendMessageAsync(conversation.Sid, new ConversationMessageRequest
        {
            Author = "agent-7",
            ContentSid = template,
            ContentVariables = new Dictionary<string, string> { ["1"] = "Ana" },
            Attributes = JsonAttributes.Parse("""{"kind":"greeting"}"""),
        });
        var fetched = await client.GetMessageAsync(conversation.Sid, first.Sid);
        var ascending = await ToListAsync(client.ListMessagesAsync(conversation.Sid));
        var descending = await ToListAsync(client.ListMessagesAsync(conversation.Sid, MessageOrder.Descending, pageSize: 1));

        Assert.Equal("Hi", fetched?.Body);
        Assert.Equal(0, first.Index);
        Assert.Equal(1, second.Index);
        Assert.Equal(template, second.ContentSid);
        Assert.Equal([first.Sid, second.Sid], ascending.Select(m => m.Sid));
        Assert.Equal([second.Sid, first.Sid], descending.Select(m => m.Sid));
        var post = fixture.Twilio.Requests.Last(r => r.Method == "POST" && r.Path.EndsWith("/Messages", StringComparison.Ordinal));
        Assert.Equal("""{"1":"Ana"}""", post.FormValue("ContentVariables"));
        Assert.True(await client.DeleteMessageAsync(conversation.Sid, first.Sid));
        Assert.Null(await client.GetMessageAsync(conversation.Sid, first.Sid));
    }

    [Fact]
    public async Task SendMessageAsync_ServerError_IsNeverRepeated()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        var conversation = await fixture.Client.CreateAsync("chat-2");
        fixture.Twilio.InjectFault("POST", "/v1/Conversations/*/Messages", EmulatedFault.ServerError(503));

        var exception = await Assert.ThrowsAsync<TwilioApiException>(() => fixture.Client.SendMessageAsync(conversation.Sid, "a", "b"));

        Assert.Equal(503, (int)exception.Status);
        Assert.Single(fixture.Twilio.Requests, r => r.Method == "POST" && r.Path.EndsWith("/Messages", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendMessageAsync_InvalidRequests_FailBeforeAnyCall()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        const string Sid = "CH0123456789abcdef0123456789abcdef";

        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.SendMessageAsync(Sid, new ConversationMessageRequest { Author = "a" }));
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.SendMessageAsync(Sid, new ConversationMessageRequest { Body = new string('x', 1601) }));
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.SendMessageAsync(Sid, new ConversationMessageRequest { Body = "x", ContentVariables = new Dictionary<string, string>() }));
        var badContent = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.SendMessageAsync(Sid, new ConversationMessageRequest { ContentSid = "HXnope" }));
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.GetMessageAsync(Sid, "SM0123456789abcdef0123456789abcdef"));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => fixture.Client.CreateAsync("x", new ConversationOptions { InactiveAfter = TimeSpan.FromSeconds(30) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => fixture.Client.ListMessagesAsync(Sid, pageSize: 101).GetAsyncEnumerator());

        Assert.Contains("'HXnope'", badContent.Message, StringComparison.Ordinal);
        Assert.Empty(fixture.Twilio.Requests);
    }

    [Theory]
    [InlineData(false, null, false)]
    [InlineData(false, true, true)]
    [InlineData(true, null, true)]
    [InlineData(true, false, false)]
    public async Task WebhookHeader_FollowsTheClientDefaultUnlessACallOverridesIt_OnEveryKindOfChange(bool clientDefault, bool? perCall, bool expected)
    {
        await using var fixture = await ConversationsFixture.StartAsync(o => o.EnableWebhooks = clientDefault);
        var client = perCall is { } enabled ? fixture.Client.WithWebhooks(enabled) : fixture.Client;

        var conversation = await client.CreateAsync("hooks");
        await client.GetOrCreateAsync("hooks-2");
        await client.UpdateAsync(conversation.Sid, new ConversationUpdate { FriendlyName = "x" });
        var participant = await client.AddParticipantAsync(conversation.Sid, ParticipantBinding.Chat("a"));
        await client.EnsureParticipantAsync(conversation.Sid, ParticipantBinding.Chat("b"));
        await client.UpdateParticipantAsync(conversation.Sid, participant.Sid, new ParticipantUpdate { LastReadMessageIndex = 0 });
        var message = await client.SendMessageAsync(conversation.Sid, "a", "b");
        await client.DeleteMessageAsync(conversation.Sid, message.Sid);
        await client.RemoveParticipantAsync(conversation.Sid, participant.Sid);
        await client.DeleteAsync(conversation.Sid);
        await client.GetAsync("hooks-2");

        var changes = fixture.Twilio.Requests.Where(r => r.Method != "GET").ToList();
        Assert.Equal(10, changes.Count);
        Assert.All(changes, r =>
        {
            var present = r.Headers.TryGetValue("X-Twilio-Webhook-Enabled", out var value);
            Assert.True(present == expected, $"{r}: header {(present ? "present" : "absent")}");
            Assert.True(!present || value == "true", $"{r}: header value {value}");
        });
        Assert.All(fixture.Twilio.Requests.Where(r => r.Method == "GET"), r => Assert.False(r.Headers.ContainsKey("X-Twilio-Webhook-Enabled")));
        Assert.Same(fixture.Client, fixture.Client.WithWebhooks(clientDefault));
    }

    [Fact]
    public async Task TypedAttributes_PlainAndAnonymousObjects_RoundTripAsTypedValues()
    {
        await using var fixture = await ConversationsFixture.StartAsync();

        var conversation = await fixture.Client.CreateAsync("typed", new ConversationOptions
        {
            Attributes = JsonAttributes.FromObject(new TicketAttributes("acme", 2, ["billing"])),
        });
        var participant = await fixture.Client.AddParticipantAsync(conversation.Sid, ParticipantBinding.Chat("agent-1"), JsonAttributes.FromObject(new { tenantId = "acme", priority = 1, tags = new[] { "vip" } }));
        var message = await fixture.Client.SendMessageAsync(conversation.Sid, new ConversationMessageRequest
        {
            Body = "hi",
            Attributes = JsonAttributes.FromValue(new TicketAttributes("acme", 3, []), TicketJson.Default.TicketAttributes),
        });
        var fetched = await fixture.Client.GetAsync(conversation.Sid);

        Assert.Equal(new TicketAttributes("acme", 2, ["billing"]).ToString(), fetched!.Attributes.Deserialize(TicketJson.Default.TicketAttributes)!.ToString());
        Assert.Equal(["billing"], fetched.Attributes.Deserialize(TicketJson.Default.TicketAttributes)!.Tags);
        var fromAnonymous = participant.Attributes.Deserialize(TicketJson.Default.TicketAttributes)!;
        Assert.Equal(("acme", 1, "vip"), (fromAnonymous.TenantId, fromAnonymous.Priority, Assert.Single(fromAnonymous.Tags)));
        Assert.Equal(3, (await fixture.Client.GetMessageAsync(conversation.Sid, message.Sid))!.Attributes.Deserialize(TicketJson.Default.TicketAttributes)!.Priority);
        Assert.Equal(JsonValueKind.Array, message.Attributes.ToJsonElement().GetProperty("tags").ValueKind);
    }

    [Theory]
    [InlineData("initializing")]
    [InlineData("open")]
    public async Task RequestedState_OtherThanActiveInactiveClosed_IsRejectedBeforeAnyCall(string state)
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        const string Sid = "CH0123456789abcdef0123456789abcdef";

        var create = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.CreateAsync("state", new ConversationOptions { State = new ConversationState(state) }));
        var update = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.UpdateAsync(Sid, new ConversationUpdate { State = new ConversationState(state) }));

        Assert.Empty(fixture.Twilio.Requests);
        Assert.Contains($"'{state}'", create.Message, StringComparison.Ordinal);
        Assert.Equal(nameof(ConversationUpdate.State), update.ParamName);
        var upperCase = await fixture.Client.CreateAsync("state-ok", new ConversationOptions { State = new ConversationState("INACTIVE") });
        Assert.Equal(ConversationState.Inactive, upperCase.State);
        Assert.Equal("inactive", fixture.Twilio.Requests[^1].FormValue("State"));
    }

    [Fact]
    public async Task Attributes_OverTwiliosSizeLimits_AreRejectedBeforeAnyCall()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        const string Sid = "CH0123456789abcdef0123456789abcdef";
        static JsonAttributes Sized(int bytes) => JsonAttributes.FromObject(new { v = new string('x', bytes - 8) }); // {"v":"…"} is 8 bytes of frame

        var conversation = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.CreateAsync("big", new ConversationOptions { Attributes = Sized((16 * 1024) + 1) }));
        var update = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.UpdateAsync(Sid, new ConversationUpdate { Attributes = Sized((16 * 1024) + 1) }));
        var message = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.SendMessageAsync(Sid, new ConversationMessageRequest { Body = "x", Attributes = Sized((4 * 1024) + 1) }));
        var participant = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.UpdateParticipantAsync(Sid, "MB0123456789abcdef0123456789abcdef", new ParticipantUpdate { Attributes = Sized((4 * 1024) + 1) }));
        Assert.Empty(fixture.Twilio.Requests);

        Assert.Contains("16,385 bytes", conversation.Message, StringComparison.Ordinal);
        Assert.Contains("16 KB", update.Message, StringComparison.Ordinal);
        Assert.Contains("4,097 bytes", message.Message, StringComparison.Ordinal);
        Assert.Contains("participant", participant.Message, StringComparison.Ordinal);
        var atLimit = await fixture.Client.CreateAsync("at-limit", new ConversationOptions { Attributes = Sized(16 * 1024) });
        Assert.Equal(16 * 1024, System.Text.Encoding.UTF8.GetByteCount(atLimit.Attributes.Json));
    }

    [Fact]
    public async Task AddConversations_UserClientRegisteredFirst_Wins_AndRegistrationIsIdempotent()
    {
        var mine = Substitute.For<IConversationsClient>();
        var services = new ServiceCollection();
        services.AddSingleton(mine);
        var builder = services.AddOmniChannelMessaging(o =>
        {
            o.AccountSid = "AC0123456789abcdef0123456789abcdef";
            o.AuthToken = "token";
            o.UseEnvironmentVariables = false;
        });
        builder.AddConversations();
        var count = services.Count;
        builder.AddConversations();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.Same(mine, provider.GetRequiredService<IConversationsClient>());
        Assert.Equal(count, services.Count);
    }

    [Fact]
    public async Task AddConversations_NamedAccounts_GetKeyedClients()
    {
        await using var a = await TwilioEmulator.StartAsync();
        await using var b = await TwilioEmulator.StartAsync();
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging("tenant-a", a.ConfigureClient).AddConversations();
        services.AddOmniChannelMessaging("tenant-b", b.ConfigureClient).AddConversations();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        await provider.GetRequiredKeyedService<IConversationsClient>("tenant-a").CreateAsync("x");
        await provider.GetRequiredKeyedService<IConversationsClient>("tenant-b").CreateAsync("y");

        Assert.Equal("x", Assert.Single(a.Requests).FormValue("UniqueName"));
        Assert.Equal("y", Assert.Single(b.Requests).FormValue("UniqueName"));
        Assert.Null(provider.GetService<IConversationsClient>());
    }

    [Fact]
    public async Task AddConversations_BadOptions_FailValidationNamingTheValue()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(twilio.ConfigureClient).AddConversations(o =>
        {
            o.ServiceSid = "IS123";
            o.DefaultRegion = "usa";
        });
        await using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<IConversationsClient>());

        Assert.Contains("'IS123'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'usa'", exception.Message, StringComparison.Ordinal);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}

public sealed record TicketAttributes(string TenantId, int Priority, IReadOnlyList<string> Tags)
{
    public override string ToString() => $"{TenantId}/{Priority}/{string.Join(",", Tags)}";
}

// Writes camelCase; reads either case, so a plain object written through reflection (PascalCase) reads back too.
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(TicketAttributes))]
internal sealed partial class TicketJson : JsonSerializerContext;
