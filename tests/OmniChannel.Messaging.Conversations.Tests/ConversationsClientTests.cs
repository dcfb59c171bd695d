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

    [Fact]
    public async Task EnableWebhooks_SendsTheWebhookHeaderOnChanges()
    {
        await using var fixture = await ConversationsFixture.StartAsync(o => o.EnableWebhooks = true);

        var conversation = await fixture.Client.CreateAsync("hooks");
        await fixture.Client.SendMessageAsync(conversation.Sid, "a", "b");

        Assert.All(fixture.Twilio.Requests.Where(r => r.Method == "POST"), r => Assert.Equal("true", r.Headers["X-Twilio-Webhook-Enabled"]));
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
