using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NSubstitute;
using OmniChannel.Messaging.Testing.Shared;
using OmniChannel.Messaging.Testing;

namespace OmniChannel.Messaging.Conversations.Tests;

public sealed class GetOrCreateTests
{
    [Fact]
    public async Task GetOrCreateAsync_Twice_CreatesOnceThenReturnsTheExistingConversation()
    {
        await using var fixture = await ConversationsFixture.StartAsync();

        var first = await fixture.Client.GetOrCreateAsync("t_acme_case_10492", new ConversationOptions
        {
            FriendlyName = "Support Case 10492",
            Attributes = JsonAttributes.Parse("""{"tenantId":"acme"}"""),
        });
        var second = await fixture.Client.GetOrCreateAsync("t_acme_case_10492");

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Value.Sid, second.Value.Sid);
        Assert.Equal("Support Case 10492", second.Value.FriendlyName);
        Assert.Equal("acme", first.Value.Attributes.ToJsonElement().GetProperty("tenantId").GetString());
        Assert.Equal(ConversationState.Active, first.Value.State);
        var create = Assert.Single(fixture.Twilio.Requests, r => r.Method == "POST");
        Assert.Equal("t_acme_case_10492", create.FormValue("UniqueName"));
        Assert.Equal("""{"tenantId":"acme"}""", create.FormValue("Attributes"));
    }

    [Fact]
    public async Task GetOrCreateAsync_FiftyConcurrentCallers_MakeExactlyOneCreateAndShareOneSid()
    {
        await using var fixture = await ConversationsFixture.StartAsync();

        // The create answers only after 500 ms, so every caller starts while it is in flight: the cache is still empty and
        // only the single flight can keep the POST count at one.
        fixture.Twilio.InjectFault("POST", "/v1/Conversations", EmulatedFault.Slow(TimeSpan.FromMilliseconds(500)), count: 50);
        var first = fixture.Client.GetOrCreateAsync("sms:+14155550100");
        await WaitForAsync(() => fixture.Count("POST", "/v1/Conversations") == 1);
        var others = Enumerable.Range(0, 49).Select(_ => Task.Run(() => fixture.Client.GetOrCreateAsync("sms:+14155550100"))).ToArray();
        await Task.WhenAll(others.Select(t => Task.WhenAny(t, Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System))));

        Assert.False(first.IsCompleted, "the slow create finished before the other callers joined; the test would not prove single flight");
        var results = await Task.WhenAll(others.Prepend(first));

        Assert.Single(results.Select(r => r.Value.Sid).Distinct());
        Assert.Equal(1, results.Count(r => r.Created)); // one operation created it; the 49 that joined it did not
        Assert.True((await first).Created); // the caller that started the create is the one credited
        Assert.Equal(1, fixture.Count("POST", "/v1/Conversations"));
        Assert.Equal(0, fixture.Count("GET", "/v1/Conversations/sms:+14155550100"));
    }

    [Fact]
    public async Task GetOrCreateAsync_BadOptionsFromOneCaller_FailOnlyThatCallerEvenOnACacheHit()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        fixture.Twilio.InjectFault("POST", "/v1/Conversations", EmulatedFault.Slow(TimeSpan.FromMilliseconds(300)));
        var good = fixture.Client.GetOrCreateAsync("case-7", new ConversationOptions { CloseAfter = TimeSpan.FromHours(1) });
        var bad = new ConversationOptions { InactiveAfter = TimeSpan.FromSeconds(30) };

        var whileInFlight = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => fixture.Client.GetOrCreateAsync("case-7", bad));
        Assert.True((await good).Created);
        var onCacheHit = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => fixture.Client.GetOrCreateAsync("case-7", bad));

        Assert.Equal("InactiveAfter", whileInFlight.ParamName);
        Assert.Equal("InactiveAfter", onCacheHit.ParamName);
        Assert.Equal("PT1H", Assert.Single(fixture.Twilio.Requests, r => r.Method == "POST").FormValue("Timers.Closed"));
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.GetOrCreateAsync("case-7", new ConversationOptions { MessagingServiceSid = "MG1" }));
    }

    [Fact]
    public async Task GetOrCreateAsync_TwoClientInstancesRacing_BothGetTheSameSidAndOneRecoversFromTheDuplicate()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        var responses = new ResponseLog();
        await using var a = ConversationsFixture.CreateProvider(twilio, null, out _, responses);
        await using var b = ConversationsFixture.CreateProvider(twilio, null, out var bLogs, responses);
        var clientA = a.GetRequiredService<IConversationsClient>();
        var clientB = b.GetRequiredService<IConversationsClient>();

        // Two separate instances (separate caches, no shared store entry yet). Both creates are held 300 ms by the emulator,
        // so both are in flight together: one wins, the other is answered 409/50353 and must fetch the winner.
        twilio.InjectFault("POST", "/v1/Conversations", EmulatedFault.Slow(TimeSpan.FromMilliseconds(300)), count: 2);
        var results = await Task.WhenAll(
            Task.Run(() => clientA.GetOrCreateAsync("whatsapp:+447700900123")),
            Task.Run(() => clientB.GetOrCreateAsync("whatsapp:+447700900123")));

        Assert.Equal(results[0].Value.Sid, results[1].Value.Sid);
        Assert.Single(results, r => r.Created);
        Assert.Equal(2, twilio.Requests.Count(r => r.Method == "POST" && r.Path == "/v1/Conversations"));
        Assert.Single(twilio.Requests, r => r.Method == "GET" && r.Path == "/v1/Conversations/whatsapp:+447700900123");
        var creates = responses.Entries.Where(e => e.Method == "POST" && e.Path == "/v1/Conversations").ToList();
        Assert.Equal([201, 409], creates.Select(e => e.Status).Order());
        Assert.Contains("50353", creates.Single(e => e.Status == 409).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetOrCreateAsync_CachedPath_MakesNoHttpCall()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        await fixture.Client.GetOrCreateAsync("case-1");
        fixture.Twilio.ClearRequests();

        for (var i = 0; i < 20; i++)
        {
            Assert.False((await fixture.Client.GetOrCreateAsync("case-1")).Created);
        }

        Assert.Empty(fixture.Twilio.Requests);
    }

    [Fact]
    public async Task GetOrCreateAsync_SharedStoreHit_FetchesBySidInsteadOfCreating()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        await using var a = ConversationsFixture.CreateProvider(twilio, null, out _);
        var created = await a.GetRequiredService<IConversationsClient>().GetOrCreateAsync("case-2");

        // A second instance sharing the unique-name store (as the PostgreSQL store would be shared).
        var services = new ServiceCollection();
        services.AddSingleton(a.GetRequiredService<IConversationUniqueNameStore>());
        services.AddOmniChannelMessaging(twilio.ConfigureClient).AddConversations();
        await using var b = services.BuildServiceProvider();
        twilio.ClearRequests();

        var found = await b.GetRequiredService<IConversationsClient>().GetOrCreateAsync("case-2");

        Assert.False(found.Created);
        Assert.Equal(created.Value.Sid, found.Value.Sid);
        var call = Assert.Single(twilio.Requests);
        Assert.Equal($"GET /v1/Conversations/{created.Value.Sid}", $"{call.Method} {call.Path}");
    }

    [Fact]
    public async Task GetOrCreateAsync_StoreThrowsOnGetAndSet_LogsAndFallsBackToCreateThenFetchOn409()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        await using var a = ConversationsFixture.CreateProvider(twilio, null, out _);
        var existing = await a.GetRequiredService<IConversationsClient>().GetOrCreateAsync("case-down");

        var store = Substitute.For<IConversationUniqueNameStore>();
#pragma warning disable CA2012 // NSubstitute configures the calls; the ValueTasks are not consumed here.
        store.GetAsync(default!, default).ReturnsForAnyArgs<ValueTask<string?>>(_ => throw new InvalidOperationException("store down (get)"));
        store.SetAsync(default!, default!, default, default).ReturnsForAnyArgs<ValueTask>(_ => throw new InvalidOperationException("store down (set)"));
        store.RemoveAsync(default!, default).ReturnsForAnyArgs<ValueTask>(_ => throw new InvalidOperationException("store down (remove)"));
#pragma warning restore CA2012
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs));
        services.AddSingleton(store);
        services.AddOmniChannelMessaging(twilio.ConfigureClient).AddConversations();
        await using var b = services.BuildServiceProvider();
        var client = b.GetRequiredService<IConversationsClient>();
        twilio.ClearRequests();

        var found = await client.GetOrCreateAsync("case-down");
        var created = await client.GetOrCreateAsync("case-new");
        await client.EvictCachedAsync("case-new");

        Assert.False(found.Created);
        Assert.Equal(existing.Value.Sid, found.Value.Sid);
        Assert.True(created.Created);
        Assert.Equal(
            ["POST /v1/Conversations", "GET /v1/Conversations/case-down", "POST /v1/Conversations"],
            twilio.Requests.Select(r => $"{r.Method} {r.Path}"));
        var failures = logs.Lines.Where(l => l.Contains("[2008]", StringComparison.Ordinal)).ToList();
        Assert.Contains(failures, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("store down (get)", StringComparison.Ordinal) && l.Contains("/case-down'", StringComparison.Ordinal));
        Assert.Contains(failures, l => l.Contains("store down (set)", StringComparison.Ordinal) && l.Contains("/case-new'", StringComparison.Ordinal));
        Assert.Contains(failures, l => l.Contains("store down (remove)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EvictCachedAsync_CachedUniqueName_RemovesItsStoreRowInOneCall()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        var store = Substitute.For<IConversationUniqueNameStore>();
#pragma warning disable CA2012 // NSubstitute configures the calls; the ValueTasks are not consumed here.
        store.GetAsync(default!, default).ReturnsForAnyArgs(new ValueTask<string?>((string?)null));
        store.SetAsync(default!, default!, default, default).ReturnsForAnyArgs(ValueTask.CompletedTask);
        store.RemoveAsync(default!, default).ReturnsForAnyArgs(ValueTask.CompletedTask);
#pragma warning restore CA2012
        var services = new ServiceCollection();
        services.AddSingleton(store);
        services.AddOmniChannelMessaging(twilio.ConfigureClient).AddConversations();
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IConversationsClient>();
        var created = await client.GetOrCreateAsync("case-evict");
        store.ClearReceivedCalls();
        twilio.ClearRequests();

        await client.EvictCachedAsync("case-evict");

        var key = twilio.AccountSid + "/default/case-evict";
        Assert.Equal(["RemoveAsync"], store.ReceivedCalls().Select(c => c.GetMethodInfo().Name));
#pragma warning disable CA2012 // NSubstitute checks the call; the ValueTask is not consumed here.
        _ = store.Received(1).RemoveAsync(key, Arg.Any<CancellationToken>());
#pragma warning restore CA2012
        var again = await client.GetOrCreateAsync("case-evict");
        Assert.Equal(created.Value.Sid, again.Value.Sid);
        Assert.NotEmpty(twilio.Requests);
    }

    [Fact]
    public async Task GetOrCreateAsync_StoredSidAnswers404_EvictsAndCreatesAgain()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        await using var a = ConversationsFixture.CreateProvider(twilio, null, out _);
        var store = a.GetRequiredService<IConversationUniqueNameStore>();
        var original = await a.GetRequiredService<IConversationsClient>().GetOrCreateAsync("case-3");

        var services = new ServiceCollection();
        services.AddSingleton(store);
        services.AddOmniChannelMessaging(twilio.ConfigureClient).AddConversations();
        await using var b = services.BuildServiceProvider();
        var other = b.GetRequiredService<IConversationsClient>();
        Assert.True(await other.DeleteAsync(original.Value.Sid));

        // Instance B has nothing cached in process: the stored SID answers 404, is evicted, and B creates a new one.
        var fromB = await other.GetOrCreateAsync("case-3");

        Assert.True(fromB.Created);
        Assert.NotEqual(original.Value.Sid, fromB.Value.Sid);
        Assert.Equal(fromB.Value.Sid, await store.GetAsync(twilio.AccountSid + "/default/case-3"));

        // Instance A still holds the deleted conversation in process until told: the public eviction drops it, and A then
        // finds B's conversation through the shared store.
        var clientA = a.GetRequiredService<IConversationsClient>();
        await clientA.EvictCachedAsync("case-3");
        var again = await clientA.GetOrCreateAsync("case-3");
        Assert.False(again.Created);
        Assert.Equal(fromB.Value.Sid, again.Value.Sid);
    }

    [Fact]
    public async Task GetOrCreateAsync_ConversationDeletedElsewhere_404OnUseEvictsAndTheNextCallCreatesAgain()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        await using var a = ConversationsFixture.CreateProvider(twilio, null, out var logs);
        await using var b = ConversationsFixture.CreateProvider(twilio, null, out _);
        var client = a.GetRequiredService<IConversationsClient>();
        var store = a.GetRequiredService<IConversationUniqueNameStore>();
        var original = await client.GetOrCreateAsync("case-8");
        await client.EnsureParticipantAsync(original.Value.Sid, ParticipantBinding.Chat("agent-1"));
        Assert.True(await b.GetRequiredService<IConversationsClient>().DeleteAsync(original.Value.Sid));

        var gone = await Assert.ThrowsAsync<TwilioApiException>(() => client.SendMessageAsync(original.Value.Sid, "agent-1", "hello?"));
        var again = await client.GetOrCreateAsync("case-8");
        var agent = await client.EnsureParticipantAsync(again.Value.Sid, ParticipantBinding.Chat("agent-1"));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.Status);
        Assert.True(again.Created);
        Assert.NotEqual(original.Value.Sid, again.Value.Sid);
        Assert.True(agent.Created);
        Assert.Equal(again.Value.Sid, await store.GetAsync(twilio.AccountSid + "/default/case-8"));
        Assert.Contains(logs.Lines, l => l.Contains(original.Value.Sid, StringComparison.Ordinal) && l.Contains("404", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetAsync_ConversationGone_EvictsTheCachedUniqueName()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        await using var a = ConversationsFixture.CreateProvider(twilio, null, out _);
        await using var b = ConversationsFixture.CreateProvider(twilio, null, out _);
        var client = a.GetRequiredService<IConversationsClient>();
        var original = await client.GetOrCreateAsync("case-9");
        await b.GetRequiredService<IConversationsClient>().DeleteAsync(original.Value.Sid);

        Assert.Null(await client.GetAsync(original.Value.Sid));
        var again = await client.GetOrCreateAsync("case-9");

        Assert.True(again.Created);
    }

    [Fact]
    public async Task CreateAsync_ServerError_IsNotRetriedBecauseTheFirstPostMayHaveBeenCommitted()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        fixture.Twilio.InjectFault("POST", "/v1/Conversations", EmulatedFault.ServerError(503));

        var exception = await Assert.ThrowsAsync<TwilioApiException>(() => fixture.Client.CreateAsync("case-10"));

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, exception.Status);
        Assert.Equal(1, fixture.Count("POST", "/v1/Conversations"));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }

        Assert.True(condition(), "timed out waiting for the condition");
    }

    [Fact]
    public async Task GetOrCreateAsync_ConflictingModification_IsRetriedWithBackoff()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        fixture.Twilio.InjectFault("POST", "/v1/Conversations", EmulatedFault.Error(409, 50391, "Conflicting conversation modification"), count: 2);

        var result = await fixture.Client.GetOrCreateAsync("case-4");

        Assert.True(result.Created);
        Assert.Equal(3, fixture.Count("POST", "/v1/Conversations"));
        Assert.Contains(fixture.Logs.Lines, l => l.Contains("50391", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetOrCreateAsync_ServerErrorOnCreate_IsRetriedBecauseTheUniqueNameMakesItSafe()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        fixture.Twilio.InjectFault("POST", "/v1/Conversations", EmulatedFault.ServerError(503));

        var result = await fixture.Client.GetOrCreateAsync("case-5");

        Assert.True(result.Created);
        Assert.Equal(2, fixture.Count("POST", "/v1/Conversations"));
    }

    [Fact]
    public async Task GetOrCreateAsync_CallerCancels_OtherCallersStillGetTheResult()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        fixture.Twilio.InjectFault("POST", "/v1/Conversations", EmulatedFault.Slow(TimeSpan.FromMilliseconds(300)));
        using var cancel = new CancellationTokenSource();

        var impatient = fixture.Client.GetOrCreateAsync("case-6", cancellationToken: cancel.Token);
        var patient = fixture.Client.GetOrCreateAsync("case-6");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        Assert.True((await patient).Created);
        Assert.Equal(1, fixture.Count("POST", "/v1/Conversations"));
    }

    [Theory]
    [InlineData("CH0123456789abcdef0123456789abcdef")]
    [InlineData(" ")]
    public async Task GetOrCreateAsync_BadUniqueName_ThrowsBeforeAnyCall(string uniqueName)
    {
        await using var fixture = await ConversationsFixture.StartAsync();

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.GetOrCreateAsync(uniqueName));

        Assert.Equal("uniqueName", exception.ParamName);
        Assert.Empty(fixture.Twilio.Requests);
    }

    [Fact]
    public void TenantUniqueName_BuildsScopedNamesAndRejectsAmbiguousTenants()
    {
        Assert.Equal("t_acme_case_10492", ConversationsClientExtensions.TenantUniqueName("acme", "case_10492"));
        var exception = Assert.Throws<ArgumentException>(() => ConversationsClientExtensions.TenantUniqueName("ac_me", "x"));
        Assert.Contains("'ac_me'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetOrCreateAsync_ServiceScoped_UsesTheServicePaths()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        var service = twilio.AddChatService();
        await using var fixture = await ConversationsFixture.StartAsync(o => o.ServiceSid = service, twilio);

        var result = await fixture.Client.GetOrCreateAsync("scoped-1");

        Assert.Equal(service, result.Value.ChatServiceSid);
        Assert.Single(twilio.Requests, r => r.Method == "POST" && r.Path == $"/v1/Services/{service}/Conversations");
        Assert.NotNull(await fixture.Client.GetAsync("scoped-1"));
        Assert.Equal(JsonValueKind.Object, result.Value.Attributes.ToJsonElement().ValueKind);
    }
}
