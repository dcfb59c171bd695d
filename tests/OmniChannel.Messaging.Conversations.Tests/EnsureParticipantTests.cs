using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniChannel.Messaging.Testing.Shared;
using OmniChannel.Messaging.Testing;

namespace OmniChannel.Messaging.Conversations.Tests;

public sealed class EnsureParticipantTests
{
    private static async Task<(ConversationsFixture Fixture, string Sid)> StartWithConversationAsync(Action<ConversationsOptions>? configure = null)
    {
        var fixture = await ConversationsFixture.StartAsync(configure);
        var conversation = await fixture.Client.CreateAsync("case-" + Guid.NewGuid().ToString("N"));
        return (fixture, conversation.Sid);
    }

    [Fact]
    public async Task EnsureParticipantAsync_SmsNumberAsTyped_IsNormalizedToE164()
    {
        var (fixture, sid) = await StartWithConversationAsync();
        await using var _ = fixture;

        var result = await fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Sms("(415) 555-0100", proxy: "+1 415-555-1234", defaultRegion: "US"));

        Assert.True(result.Created);
        Assert.Equal("+14155550100", result.Value.Address);
        Assert.Equal("+14155551234", result.Value.ProxyAddress);
        Assert.Equal("sms", result.Value.BindingType);
        var post = Assert.Single(fixture.Twilio.Requests, r => r.Method == "POST" && r.Path.EndsWith("/Participants", StringComparison.Ordinal));
        Assert.Equal("+14155550100", post.FormValue("MessagingBinding.Address"));
        Assert.Equal("+14155551234", post.FormValue("MessagingBinding.ProxyAddress"));
    }

    [Fact]
    public async Task EnsureParticipantAsync_ChatIdentityAlreadyThere_409IsSuccess()
    {
        // Cache off, so the second ensure really meets Twilio's 50433.
        var (fixture, sid) = await StartWithConversationAsync(o => o.ParticipantCacheDuration = TimeSpan.Zero);
        await using var _ = fixture;
        var first = await fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Chat("agent-7"));

        var second = await fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Chat("agent-7"));

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Value.Sid, second.Value.Sid);
        Assert.Contains(fixture.Logs.Lines, l => l.Contains("50433", StringComparison.Ordinal));
        Assert.Single(fixture.Twilio.Requests, r => r.Method == "GET" && r.Path.EndsWith("/Participants/agent-7", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnsureParticipantAsync_WhatsAppPairAlreadyThere_50437IsSuccess()
    {
        var (fixture, sid) = await StartWithConversationAsync(o => o.ParticipantCacheDuration = TimeSpan.Zero);
        await using var _ = fixture;
        var binding = ParticipantBinding.WhatsApp("+44 7700 900123", "whatsapp:+14155238886");
        var first = await fixture.Client.EnsureParticipantAsync(sid, binding);

        var second = await fixture.Client.EnsureParticipantAsync(sid, binding);

        Assert.False(second.Created);
        Assert.Equal(first.Value.Sid, second.Value.Sid);
        Assert.Equal("whatsapp:+447700900123", second.Value.Address);
        Assert.Equal("whatsapp:+14155238886", second.Value.ProxyAddress);
        Assert.Contains(fixture.Logs.Lines, l => l.Contains("50437", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnsureParticipantAsync_PairBoundInAnotherOpenConversation_ThrowsNamingThatConversation()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        var holder = await fixture.Client.CreateAsync("holder");
        var target = await fixture.Client.CreateAsync("target");
        await fixture.Client.EnsureParticipantAsync(holder.Sid, ParticipantBinding.Sms("+14155550100", "+14155551234"));

        var exception = await Assert.ThrowsAsync<ParticipantConflictException>(() =>
            fixture.Client.EnsureParticipantAsync(target.Sid, ParticipantBinding.Sms("+14155550100", "+14155551234")));

        Assert.Equal(holder.Sid, exception.ConflictingConversationSid);
        Assert.Equal(target.Sid, exception.ConversationSid);
        Assert.Equal("+14155550100", exception.Address);
        Assert.Contains(holder.Sid, exception.Message, StringComparison.Ordinal);
        Assert.Equal(50416, Assert.IsType<TwilioApiException>(exception.InnerException).ErrorCode);
    }

    [Fact]
    public async Task EnsureParticipantAsync_BindingFreedByClosingTheOtherConversation_Succeeds()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        var holder = await fixture.Client.CreateAsync("holder");
        var target = await fixture.Client.CreateAsync("target");
        await fixture.Client.EnsureParticipantAsync(holder.Sid, ParticipantBinding.Sms("+14155550100", "+14155551234"));
        await fixture.Client.CloseAsync(holder.Sid);

        var result = await fixture.Client.EnsureParticipantAsync(target.Sid, ParticipantBinding.Sms("+14155550100", "+14155551234"));

        Assert.True(result.Created);
    }

    [Fact]
    public async Task EnsureParticipantAsync_SameAddressWithAnotherProxy_IsAConflictInTheSameConversation()
    {
        var (fixture, sid) = await StartWithConversationAsync(o => o.ParticipantCacheDuration = TimeSpan.Zero);
        await using var _ = fixture;
        await fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Sms("+14155550100", "+14155551234"));
        fixture.Twilio.InjectFault("POST", "/v1/Conversations/*/Participants", EmulatedFault.Error(409, 50433, "Participant already exists"));

        var exception = await Assert.ThrowsAsync<ParticipantConflictException>(() =>
            fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Sms("+14155550100", "+14155559999")));

        Assert.Equal(sid, exception.ConflictingConversationSid);
    }

    [Fact]
    public async Task EnsureParticipantAsync_ConflictingModification_IsRetried()
    {
        var (fixture, sid) = await StartWithConversationAsync();
        await using var _ = fixture;
        fixture.Twilio.InjectFault("POST", "/v1/Conversations/*/Participants", EmulatedFault.Error(409, 50391, "Conflicting conversation modification"), count: 2);

        var result = await fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Chat("agent-1"));

        Assert.True(result.Created);
        Assert.Equal(3, fixture.Twilio.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/Participants", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task EnsureParticipantAsync_ConcurrentEnsuresOfOneAddress_AddItOnce()
    {
        var (fixture, sid) = await StartWithConversationAsync();
        await using var _ = fixture;

        // The participant POST answers after 300 ms, so all 20 ensures start before anything is cached: only the
        // per-conversation lock keeps them from posting 20 times.
        fixture.Twilio.InjectFault("POST", "/v1/Conversations/*/Participants", EmulatedFault.Slow(TimeSpan.FromMilliseconds(300)), count: 20);
        var started = fixture.Twilio.Requests.Count;
        var calls = Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
            fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Sms("415-555-0100", "+14155551234", "US")))).ToArray();
        await Task.WhenAll(calls.Select(t => Task.WhenAny(t, Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System))));
        Assert.DoesNotContain(calls, c => c.IsCompleted);
        Assert.Equal(started + 1, fixture.Twilio.Requests.Count);
        var results = await Task.WhenAll(calls);

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Value.Sid).Distinct());
        Assert.Equal(1, fixture.Twilio.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/Participants", StringComparison.Ordinal)));
        var participants = new List<Participant>();
        await foreach (var p in fixture.Client.ListParticipantsAsync(sid))
        {
            participants.Add(p);
        }

        Assert.Single(participants);
    }

    [Fact]
    public async Task EnsureParticipantAsync_Repeated_MakesNoCallWhileCached()
    {
        var (fixture, sid) = await StartWithConversationAsync();
        await using var _ = fixture;
        await fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Chat("agent-2"));
        fixture.Twilio.ClearRequests();

        var again = await fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Chat("agent-2"));

        Assert.False(again.Created);
        Assert.Empty(fixture.Twilio.Requests);
    }

    [Fact]
    public async Task AddParticipantAsync_Existing_ThrowsTheTwilioConflict()
    {
        var (fixture, sid) = await StartWithConversationAsync();
        await using var _ = fixture;
        await fixture.Client.AddParticipantAsync(sid, ParticipantBinding.Chat("agent-3"));

        var exception = await Assert.ThrowsAsync<TwilioApiException>(() => fixture.Client.AddParticipantAsync(sid, ParticipantBinding.Chat("agent-3")));

        Assert.Equal(50433, exception.ErrorCode);
    }

    [Fact]
    public async Task FindUpdateRemoveParticipant_RoundTrip()
    {
        var (fixture, sid) = await StartWithConversationAsync();
        await using var _ = fixture;
        var added = await fixture.Client.AddParticipantAsync(sid, ParticipantBinding.Sms("+14155550100", "+14155551234"), JsonAttributes.Parse("""{"vip":true}"""));

        var found = await fixture.Client.FindParticipantAsync(sid, ParticipantBinding.Sms("4155550100", "4155551234", "US"));
        var updated = await fixture.Client.UpdateParticipantAsync(sid, added.Sid, new ParticipantUpdate { Attributes = JsonAttributes.Parse("""{"vip":false}""") });
        var removed = await fixture.Client.RemoveParticipantAsync(sid, added.Sid);
        var removedAgain = await fixture.Client.RemoveParticipantAsync(sid, added.Sid);

        Assert.Equal(added.Sid, found?.Sid);
        Assert.True(added.Attributes.ToJsonElement().GetProperty("vip").GetBoolean());
        Assert.False(updated.Attributes.ToJsonElement().GetProperty("vip").GetBoolean());
        Assert.True(removed);
        Assert.False(removedAgain);
        Assert.Null(await fixture.Client.FindParticipantAsync(sid, ParticipantBinding.Sms("+14155550100", "+14155551234")));
        Assert.Null(await fixture.Client.FindParticipantByIdentityAsync(sid, "nobody"));
    }

    [Theory]
    [InlineData("CH123")]
    [InlineData("MB0123456789abcdef0123456789abcdef")]
    [InlineData("CH0123456789abcdef0123456789abcdeZ")]
    public async Task ParticipantCalls_BadConversationSid_ThrowBeforeAnyCallNamingTheValue(string sid)
    {
        await using var fixture = await ConversationsFixture.StartAsync();

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Chat("x")));

        Assert.Contains($"'{sid}'", exception.Message, StringComparison.Ordinal);
        Assert.Equal("conversationSid", exception.ParamName);
        Assert.Empty(fixture.Twilio.Requests);
    }

    [Fact]
    public async Task EnsureParticipantAsync_AddressThatIsNotANumber_ThrowsBeforeAnyCall()
    {
        var (fixture, sid) = await StartWithConversationAsync();
        await using var _ = fixture;
        fixture.Twilio.ClearRequests();

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Sms("call me maybe", "+14155551234")));

        Assert.Contains("call me maybe", exception.Message, StringComparison.Ordinal);
        Assert.Empty(fixture.Twilio.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EnsureParticipantAsync_ConflictingModificationRetriesUsedUp_ThrowsTwiliosAnswerNotABindingConflict(bool chat)
    {
        var (fixture, sid) = await StartWithConversationAsync(o => o.ConflictRetries = 2);
        await using var _ = fixture;
        fixture.Twilio.ClearRequests();
        fixture.Twilio.InjectFault("POST", "/v1/Conversations/*/Participants", EmulatedFault.Error(409, 50391, "Conflicting conversation modification"), count: 3);
        var binding = chat ? ParticipantBinding.Chat("agent-9") : ParticipantBinding.Sms("+14155550100", "+14155551234");

        var exception = await Assert.ThrowsAsync<TwilioApiException>(() => fixture.Client.EnsureParticipantAsync(sid, binding));

        Assert.Equal(50391, exception.ErrorCode);
        Assert.Equal(3, fixture.Twilio.Requests.Count(r => r.Method == "POST"));
        Assert.DoesNotContain(fixture.Twilio.Requests, r => r.Method == "GET");
    }

    [Fact]
    public async Task EnsureParticipantAsync_ParticipantExistsAnswerButNeverFound_ThrowsTwiliosAnswerNotABindingConflict()
    {
        var (fixture, sid) = await StartWithConversationAsync(o => o.ConflictRetries = 1);
        await using var _ = fixture;
        fixture.Twilio.InjectFault("POST", "/v1/Conversations/*/Participants", EmulatedFault.Error(409, 50437, "Group Participant already exists"), count: 2);

        var exception = await Assert.ThrowsAsync<TwilioApiException>(() =>
            fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Sms("+14155550100", "+14155551234")));

        Assert.Equal(50437, exception.ErrorCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EnsureParticipantAsync_50416MessageWithoutSid_FindsTheOtherConversationThroughParticipantConversations(bool serviceScoped)
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        var service = serviceScoped ? twilio.AddChatService() : null;
        await using var fixture = await ConversationsFixture.StartAsync(o => o.ServiceSid = service, twilio);
        var holder = await fixture.Client.CreateAsync("holder");
        var target = await fixture.Client.CreateAsync("target");
        await fixture.Client.EnsureParticipantAsync(holder.Sid, ParticipantBinding.Sms("+14155550100", "+14155551234"));
        var prefix = serviceScoped ? $"/v1/Services/{service}" : "/v1";
        twilio.InjectFault("POST", $"{prefix}/Conversations/{target.Sid}/Participants", EmulatedFault.Error(409, 50416, "A binding for this participant and proxy address already exists"));

        var exception = await Assert.ThrowsAsync<ParticipantConflictException>(() =>
            fixture.Client.EnsureParticipantAsync(target.Sid, ParticipantBinding.Sms("+14155550100", "+14155551234")));

        Assert.Equal(holder.Sid, exception.ConflictingConversationSid);
        var lookup = Assert.Single(twilio.Requests, r => r.Method == "GET" && r.Path == $"{prefix}/ParticipantConversations");
        Assert.Equal("+14155550100", lookup.Query.Single(q => q.Key == "Address").Value);
    }

    [Fact]
    public async Task EnsureParticipantAsync_50416AndNoOtherConversationFound_ThrowsWithoutNamingOne()
    {
        var (fixture, sid) = await StartWithConversationAsync();
        await using var _ = fixture;
        fixture.Twilio.InjectFault("POST", "/v1/Conversations/*/Participants", EmulatedFault.Error(409, 50416, "A binding for this participant and proxy address already exists"));

        var exception = await Assert.ThrowsAsync<ParticipantConflictException>(() =>
            fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Sms("+14155550100", "+14155551234")));

        Assert.Null(exception.ConflictingConversationSid);
        Assert.Contains("could not be found", exception.Message, StringComparison.Ordinal);
        Assert.Equal(50416, Assert.IsType<TwilioApiException>(exception.InnerException).ErrorCode);
        Assert.Single(fixture.Twilio.Requests, r => r.Method == "GET" && r.Path == "/v1/ParticipantConversations");
    }

    [Fact]
    public async Task EnsureParticipantAsync_50416NamingThisConversationAfterARealAdd_ReturnsTheParticipantAsExisting()
    {
        // Real Twilio can answer 50416 when the pair is bound in the very conversation asked for (the emulator answers 50437).
        var (fixture, sid) = await StartWithConversationAsync(o => o.ParticipantCacheDuration = TimeSpan.Zero);
        await using var _ = fixture;
        var added = await fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Sms("+14155550100", "+14155551234"));
        fixture.Twilio.InjectFault("POST", $"/v1/Conversations/{sid}/Participants",
            EmulatedFault.Error(409, 50416, $"A binding for this participant and proxy address already exists in Conversation {sid}"));
        fixture.Twilio.ClearRequests();

        var again = await fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Sms("+14155550100", "+14155551234"));

        Assert.True(added.Created);
        Assert.False(again.Created);
        Assert.Equal(added.Value.Sid, again.Value.Sid);
        Assert.Single(fixture.Twilio.Requests, r => r.Method == "POST" && r.Path == $"/v1/Conversations/{sid}/Participants");
        Assert.Single(fixture.Twilio.Requests, r => r.Method == "GET" && r.Path == $"/v1/Conversations/{sid}/Participants");
        Assert.DoesNotContain(fixture.Twilio.Requests, r => r.Path == "/v1/ParticipantConversations"); // the answer named the holder
        Assert.Contains(fixture.Logs.Lines, l => l.Contains(added.Value.Sid, StringComparison.Ordinal) && l.Contains("50416", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnsureParticipantAsync_50416NamingNoneAndNoOtherHolder_ReturnsTheParticipantHereAsExisting()
    {
        var (fixture, sid) = await StartWithConversationAsync(o => o.ParticipantCacheDuration = TimeSpan.Zero);
        await using var _ = fixture;
        var added = await fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.WhatsApp("+447700900123", "+14155238886"));
        fixture.Twilio.InjectFault("POST", $"/v1/Conversations/{sid}/Participants", EmulatedFault.Error(409, 50416, "A binding for this participant and proxy address already exists"));

        var again = await fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.WhatsApp("+447700900123", "+14155238886"));

        Assert.False(again.Created);
        Assert.Equal(added.Value.Sid, again.Value.Sid);
        Assert.Single(fixture.Twilio.Requests, r => r.Method == "GET" && r.Path == "/v1/ParticipantConversations");
    }

    [Fact]
    public async Task EnsureParticipantAsync_50416NamingThisConversationButTheAddressHasAnotherProxyHere_Throws()
    {
        var (fixture, sid) = await StartWithConversationAsync(o => o.ParticipantCacheDuration = TimeSpan.Zero);
        await using var _ = fixture;
        await fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Sms("+14155550100", "+14155551234"));
        fixture.Twilio.InjectFault("POST", $"/v1/Conversations/{sid}/Participants",
            EmulatedFault.Error(409, 50416, $"A binding for this participant and proxy address already exists in Conversation {sid}"));

        var exception = await Assert.ThrowsAsync<ParticipantConflictException>(() =>
            fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Sms("+14155550100", "+14155559999")));

        Assert.Null(exception.ConflictingConversationSid);
        Assert.Equal(50416, Assert.IsType<TwilioApiException>(exception.InnerException).ErrorCode);
    }

    [Theory]
    [InlineData(401, 20003)]
    [InlineData(500, 20500)]
    public async Task EnsureParticipantAsync_50416LookupFails_SurfacesTheLookupFailure(int status, int code)
    {
        var (fixture, sid) = await StartWithConversationAsync();
        await using var _ = fixture;
        fixture.Twilio.InjectFault("POST", "/v1/Conversations/*/Participants", EmulatedFault.Error(409, 50416, "A binding for this participant and proxy address already exists"));
        fixture.Twilio.InjectFault("GET", "/v1/ParticipantConversations", EmulatedFault.Error(status, code, "refused"), count: 10);

        var exception = await Assert.ThrowsAsync<TwilioApiException>(() =>
            fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Sms("+14155550100", "+14155551234")));

        Assert.Equal(status, (int)exception.Status);
        Assert.Equal(code, exception.ErrorCode);
    }

    [Fact]
    public async Task UpdateParticipantAsync_ParticipantRemovedElsewhere_404EvictsItSoTheNextEnsureAddsItAgain()
    {
        var (fixture, sid) = await StartWithConversationAsync();
        await using var _ = fixture;
        await using var other = ConversationsFixture.CreateProvider(fixture.Twilio, null, out var otherLogs);
        var first = await fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Chat("agent-4"));
        Assert.True(await other.GetRequiredService<IConversationsClient>().RemoveParticipantAsync(sid, first.Value.Sid));

        var gone = await Assert.ThrowsAsync<TwilioApiException>(() =>
            fixture.Client.UpdateParticipantAsync(sid, first.Value.Sid, new ParticipantUpdate { LastReadMessageIndex = 0 }));
        var again = await fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Chat("agent-4"));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.Status);
        Assert.True(again.Created);
        Assert.NotEqual(first.Value.Sid, again.Value.Sid);
    }

    [Fact]
    public async Task EvictCachedAsync_ParticipantSid_MakesTheNextEnsureAskTwilio()
    {
        var (fixture, sid) = await StartWithConversationAsync();
        await using var _ = fixture;
        var first = await fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Chat("agent-5"));
        fixture.Twilio.ClearRequests();

        await fixture.Client.EvictCachedAsync(first.Value.Sid);
        var again = await fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Chat("agent-5"));

        Assert.False(again.Created);
        Assert.Equal(first.Value.Sid, again.Value.Sid);
        Assert.Single(fixture.Twilio.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task FindParticipantAsync_ByAddressAlone_FindsWhateverTheProxy()
    {
        var (fixture, sid) = await StartWithConversationAsync();
        await using var _ = fixture;
        var sms = await fixture.Client.AddParticipantAsync(sid, ParticipantBinding.Sms("+14155550100", "+14155551234"));
        var whatsApp = await fixture.Client.AddParticipantAsync(sid, ParticipantBinding.WhatsApp("+447700900123", "+14155238886"));
        var agent = await fixture.Client.AddParticipantAsync(sid, ParticipantBinding.Chat("agent-7"));

        Assert.Equal(sms.Sid, (await fixture.Client.FindParticipantAsync(sid, "(415) 555-0100"))?.Sid);
        Assert.Equal(whatsApp.Sid, (await fixture.Client.FindParticipantAsync(sid, "whatsapp:+447700900123"))?.Sid);
        Assert.Equal(agent.Sid, (await fixture.Client.FindParticipantAsync(sid, "agent-7"))?.Sid);
        Assert.Null(await fixture.Client.FindParticipantAsync(sid, "+447700900123")); // the SMS channel of a WhatsApp-only number
        Assert.Null(await fixture.Client.FindParticipantAsync(sid, "+14155559999"));
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.FindParticipantAsync(sid, "+1 (415) 555"));
    }

    [Fact]
    public async Task EnsureParticipantAsync_SmsThroughAMessagingService_UsesTheConversationsServiceAndAPhoneProxy()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        const string Service = "MG0123456789abcdef0123456789abcdef";
        var conversation = await fixture.Client.GetOrCreateAsync("mg-case", new ConversationOptions { MessagingServiceSid = Service });

        var participant = await fixture.Client.EnsureParticipantAsync(conversation.Value.Sid, ParticipantBinding.Sms("(415) 555-0100", "+14155551234", "US"));

        Assert.Equal(Service, conversation.Value.MessagingServiceSid);
        Assert.Equal(Service, Assert.Single(fixture.Twilio.Requests, r => r.Method == "POST" && r.Path == "/v1/Conversations").FormValue("MessagingServiceSid"));
        Assert.Equal("+14155551234", participant.Value.ProxyAddress);
    }

    [Fact]
    public async Task EnsureParticipantAsync_BadSmsBindings_ThrowBeforeAnyCallSayingWhy()
    {
        var (fixture, sid) = await StartWithConversationAsync();
        await using var _ = fixture;
        fixture.Twilio.ClearRequests();

        var service = await Assert.ThrowsAsync<ArgumentException>(() =>
            fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Sms("+14155550100", "MG0123456789abcdef0123456789abcdef")));
        var whatsAppAddress = await Assert.ThrowsAsync<ArgumentException>(() =>
            fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Sms("whatsapp:+14155550100", "+14155551234")));
        var whatsAppProxy = await Assert.ThrowsAsync<ArgumentException>(() =>
            fixture.Client.AddParticipantAsync(sid, ParticipantBinding.Sms("+14155550100", "whatsapp:+14155551234")));
        var same = await Assert.ThrowsAsync<ArgumentException>(() =>
            fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Sms("+14155550100", "(415) 555-0100", "US")));
        var bigAttributes = await Assert.ThrowsAsync<ArgumentException>(() =>
            fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Chat("a"), JsonAttributes.FromObject(new { note = new string('x', 4100) })));

        Assert.Contains("MessagingServiceSid", service.Message, StringComparison.Ordinal);
        Assert.Contains("WhatsApp", whatsAppAddress.Message, StringComparison.Ordinal);
        Assert.Contains("'whatsapp:+14155551234'", whatsAppProxy.Message, StringComparison.Ordinal);
        Assert.Contains("50409", same.Message, StringComparison.Ordinal);
        Assert.Contains("4,096", bigAttributes.Message, StringComparison.Ordinal);
        Assert.Empty(fixture.Twilio.Requests);
    }

    [Fact]
    public async Task EnsureParticipantAsync_ConflictingModification_BacksOffOnTheClientsTimeProvider()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var logs = new Testing.Shared.CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging(b => b.AddProvider(logs));
        services.AddOmniChannelMessaging(twilio.ConfigureClient).AddConversations();
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IConversationsClient>();
        var conversation = await client.CreateAsync("backoff");
        twilio.InjectFault("POST", "/v1/Conversations/*/Participants", EmulatedFault.Error(409, 50391, "Conflicting conversation modification"));
        int Posts() => twilio.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/Participants", StringComparison.Ordinal));

        var ensure = client.EnsureParticipantAsync(conversation.Sid, ParticipantBinding.Chat("agent-1"));
        await WaitForAsync(() => logs.Lines.Any(l => l.Contains("[2004]", StringComparison.Ordinal)));
        var line = logs.Lines.Single(l => l.Contains("[2004]", StringComparison.Ordinal));
        var delay = int.Parse(System.Text.RegularExpressions.Regex.Match(line, @"in (\d+) ms").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        // First retry: 100 ms × 2⁰, jittered to 50–100 ms. Real time passing does not end it; the client's clock does.
        Assert.InRange(delay, 50, 100);
        await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System);
        Assert.Equal(1, Posts());
        Assert.False(ensure.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(delay + 1));
        var result = await ensure.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);

        Assert.True(result.Created);
        Assert.Equal(2, Posts());
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }

        Assert.True(condition(), "timed out waiting for the condition");
    }
}
