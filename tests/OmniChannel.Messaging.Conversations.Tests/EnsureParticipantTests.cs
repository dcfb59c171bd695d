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

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
            fixture.Client.EnsureParticipantAsync(sid, ParticipantBinding.Sms("415-555-0100", "+14155551234", "US")))));

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
}
