using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Testing;
using Xunit.Abstractions;

namespace OmniChannel.Messaging.Conversations.Tests.Routing;

public sealed class InboundConversationRouterTests(ITestOutputHelper output)
{
    private const string SmsProxy = "+14155551234";
    private const string WhatsAppProxy = "whatsapp:+14155238886";

    // 1,000 inbound messages from 50 customers (40 SMS, 10 WhatsApp) in a seeded random order.
    private static List<(string From, string To, string Body)> Workload()
    {
        var random = new Random(20261123);
        var senders = Enumerable.Range(0, 50)
            .Select(i => i < 40
                ? ($"+1415555{i:D4}", SmsProxy)
                : ($"whatsapp:+4477009{i:D5}", WhatsAppProxy))
            .ToArray();
        return Enumerable.Range(0, 1000)
            .Select(i =>
            {
                var (from, to) = senders[random.Next(senders.Length)];
                return (from, to, $"message {i.ToString(CultureInfo.InvariantCulture)}");
            })
            .ToList();
    }

    [Fact]
    public async Task RouteAsync_SameCustomerTwice_UsesOneConversationAndOneParticipant()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        var router = fixture.Provider.GetRequiredService<InboundConversationRouter>();

        var first = await router.RouteAsync("+14155550100", SmsProxy, "hello");
        var second = await router.RouteAsync("+14155550100", SmsProxy, "still there?");

        Assert.Equal(first.ConversationSid, second.ConversationSid);
        Assert.Equal("+14155550100", second.Author);
        var conversation = await fixture.Client.GetAsync("sms:+14155550100");
        Assert.Equal(first.ConversationSid, conversation?.Sid);
        var participant = await fixture.Client.FindParticipantAsync(first.ConversationSid, ParticipantBinding.Sms("+14155550100", SmsProxy));
        Assert.NotNull(participant);
        Assert.Equal(1, fixture.Count("POST", "/Participants"));
    }

    [Fact]
    public async Task RouteAsync_NewCustomer_ParsesEachAddressOnce()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        var normalizer = new CountingNormalizer();
        var router = new InboundConversationRouter(fixture.Client, normalizer);

        var message = await router.RouteAsync("+14155550100", SmsProxy, "hello", tenant: "acme");

        Assert.Equal(2, normalizer.Calls);
        Assert.Equal("t_acme_sms:+14155550100", (await fixture.Client.GetAsync(message.ConversationSid))?.UniqueName);
    }

    [Fact]
    public async Task RouteAsync_TenantScoped_UsesTenantUniqueNames()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        var router = fixture.Provider.GetRequiredService<InboundConversationRouter>();

        var message = await router.RouteAsync("whatsapp:+447700900123", WhatsAppProxy, "hola", tenant: "acme");

        Assert.Equal("t_acme_whatsapp:+447700900123", router.UniqueNameFor("whatsapp:+447700900123", "acme"));
        Assert.Equal("t_acme_whatsapp:+447700900123", (await fixture.Client.GetAsync(message.ConversationSid))?.UniqueName);
        Assert.Equal("whatsapp:+447700900123", message.Author);
        await Assert.ThrowsAsync<ArgumentException>(() => router.RouteAsync("whatsapp:+447700900123", SmsProxy, "x"));
    }

    [Fact]
    public async Task RouteAsync_ThousandMessagesFromFiftySenders_MakesFarFewerCallsThanNaiveListAndCreate()
    {
        var workload = Workload();

        int routed;
        await using (var fixture = await ConversationsFixture.StartAsync())
        {
            var router = fixture.Provider.GetRequiredService<InboundConversationRouter>();
            foreach (var (from, to, body) in workload)
            {
                await router.RouteAsync(from, to, body);
            }

            routed = fixture.Twilio.Requests.Count;
            Assert.Equal(1000, fixture.Count("POST", "/Messages"));
        }

        int naive;
        await using (var fixture = await ConversationsFixture.StartAsync())
        {
            foreach (var (from, to, body) in workload)
            {
                await NaiveRouteAsync(fixture.Client, from, to, body);
            }

            naive = fixture.Twilio.Requests.Count;
            Assert.Equal(1000, fixture.Count("POST", "/Messages"));
        }

        // The same workload with 8 workers in parallel, each owning a fixed set of senders (so one sender's messages stay in
        // order): the single flight and the per-conversation lock must keep the creates at one per customer.
        int concurrent;
        await using (var fixture = await ConversationsFixture.StartAsync())
        {
            var router = fixture.Provider.GetRequiredService<InboundConversationRouter>();
            await Parallel.ForEachAsync(
                workload.GroupBy(m => StableHash(m.From) % 8),
                new ParallelOptions { MaxDegreeOfParallelism = 8 },
                async (worker, ct) =>
                {
                    foreach (var (from, to, body) in worker)
                    {
                        await router.RouteAsync(from, to, body, cancellationToken: ct);
                    }
                });

            concurrent = fixture.Twilio.Requests.Count;
            Assert.Equal(1000, fixture.Count("POST", "/Messages"));
            Assert.Equal(50, fixture.Count("POST", "/v1/Conversations"));
            Assert.Equal(50, fixture.Count("POST", "/Participants"));
        }

        // The message posts are the same 1,000 either way; what routing adds on top is what the helper saves.
        var routedOverhead = routed - 1000;
        var naiveOverhead = naive - 1000;
        var fewerCalls = 1 - ((double)routed / naive);
        var fewerRoutingCalls = 1 - ((double)routedOverhead / naiveOverhead);
        output.WriteLine($"router: {routed} calls ({routedOverhead} routing + 1000 posts); naive list-and-create: {naive} calls ({naiveOverhead} routing + 1000 posts)");
        output.WriteLine($"fewer calls in all: {fewerCalls:P1}; fewer routing calls: {fewerRoutingCalls:P1}");
        output.WriteLine($"router, 8 workers in parallel: {concurrent} calls ({concurrent - 1000} routing + 1000 posts); fewer calls in all than sequential naive: {1 - ((double)concurrent / naive):P1}");

        Assert.Equal(100, routedOverhead); // 50 conversation creates + 50 participant creates
        Assert.Equal(routed, concurrent);
        Assert.True(fewerCalls >= 0.60, $"calls in all were only {fewerCalls:P1} fewer");
        Assert.True(fewerRoutingCalls >= 0.90, $"routing calls were only {fewerRoutingCalls:P1} fewer");
    }

    [Fact]
    public async Task RouteAsync_ConversationDeletedElsewhere_RoutesIntoAFreshConversationWithoutFailing()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        await using var other = ConversationsFixture.CreateProvider(fixture.Twilio, null, out _);
        var router = fixture.Provider.GetRequiredService<InboundConversationRouter>();
        var first = await router.RouteAsync("+14155550100", SmsProxy, "hello");
        Assert.True(await other.GetRequiredService<IConversationsClient>().DeleteAsync(first.ConversationSid));
        fixture.Twilio.ClearRequests();

        var second = await router.RouteAsync("+14155550100", SmsProxy, "anyone?");
        var third = await router.RouteAsync("+14155550100", SmsProxy, "thanks");

        Assert.NotEqual(first.ConversationSid, second.ConversationSid);
        Assert.Equal(second.ConversationSid, third.ConversationSid);
        Assert.Equal(second.ConversationSid, (await fixture.Client.GetAsync("sms:+14155550100"))?.Sid);
        Assert.NotNull(second.ParticipantSid);
        // The cached ensure costs nothing, so the post meets the 404; the retry creates, ensures and posts again.
        Assert.Equal(
            ["POST /Messages", "POST /Conversations", "POST /Participants", "POST /Messages", "POST /Messages"],
            fixture.Twilio.Requests.Where(r => r.Method == "POST").Select(r => "POST /" + r.Path.Split('/')[^1].Replace(first.ConversationSid, "CH", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RouteAsync_ConversationClosed_MovesTheCustomerToTheNextGeneration()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        var router = fixture.Provider.GetRequiredService<InboundConversationRouter>();
        var first = await router.RouteAsync("whatsapp:+447700900123", WhatsAppProxy, "hello", tenant: "acme");
        await fixture.Client.CloseAsync(first.ConversationSid);

        var second = await router.RouteAsync("whatsapp:+447700900123", WhatsAppProxy, "new question", tenant: "acme");
        var third = await router.RouteAsync("whatsapp:+447700900123", WhatsAppProxy, "more", tenant: "acme");

        Assert.NotEqual(first.ConversationSid, second.ConversationSid);
        Assert.Equal(second.ConversationSid, third.ConversationSid);
        Assert.Equal("t_acme_whatsapp:+447700900123~2", (await fixture.Client.GetAsync(second.ConversationSid))?.UniqueName);
        Assert.Equal("t_acme_whatsapp:+447700900123~2", router.UniqueNameFor("whatsapp:+447700900123", "acme", 2));
        Assert.Single(await ToListAsync(fixture.Client.ListMessagesAsync(first.ConversationSid)));
        Assert.Equal(2, (await ToListAsync(fixture.Client.ListMessagesAsync(second.ConversationSid))).Count);
    }

    [Fact]
    public async Task RouteAsync_PostRefusedBecauseClosedElsewhere_RefetchesAndMovesToTheNextGeneration()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        await using var other = ConversationsFixture.CreateProvider(fixture.Twilio, null, out _);
        var router = fixture.Provider.GetRequiredService<InboundConversationRouter>();
        var first = await router.RouteAsync("+14155550100", SmsProxy, "hello");
        await other.GetRequiredService<IConversationsClient>().CloseAsync(first.ConversationSid);

        // The emulator still accepts posts to a closed conversation; script the refusal. The router does not depend on the
        // code (our reference documents none): it re-reads the conversation and acts on its state.
        fixture.Twilio.InjectFault("POST", $"/v1/Conversations/{first.ConversationSid}/Messages", EmulatedFault.Error(400, 50000, "The conversation is closed"));
        var second = await router.RouteAsync("+14155550100", SmsProxy, "hello again");

        Assert.NotEqual(first.ConversationSid, second.ConversationSid);
        Assert.Equal("sms:+14155550100~2", (await fixture.Client.GetAsync(second.ConversationSid))?.UniqueName);
    }

    [Fact]
    public async Task RouteAsync_ConversationCreatedOutsideTheRouterHoldsTheBinding_PostsIntoItAndKeepsRoutingThere()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        var router = fixture.Provider.GetRequiredService<InboundConversationRouter>();
        var agent = await fixture.Client.CreateAsync("agent-started-case");
        var customer = await fixture.Client.EnsureParticipantAsync(agent.Sid, ParticipantBinding.Sms("+14155550100", SmsProxy));

        var first = await router.RouteAsync("+14155550100", SmsProxy, "hello");
        fixture.Twilio.ClearRequests();
        var second = await router.RouteAsync("+14155550100", SmsProxy, "still there?");

        Assert.Equal(agent.Sid, first.ConversationSid);
        Assert.Equal(customer.Value.Sid, first.ParticipantSid);
        Assert.Equal(agent.Sid, second.ConversationSid);
        var call = Assert.Single(fixture.Twilio.Requests); // the holder is remembered: the repeat costs the post only
        Assert.Equal($"POST /v1/Conversations/{agent.Sid}/Messages", $"{call.Method} {call.Path}");
        Assert.Equal(["hello", "still there?"], (await ToListAsync(fixture.Client.ListMessagesAsync(agent.Sid))).Select(m => m.Body));
    }

    [Fact]
    public async Task RouteAsync_GenerationRecreatedWhileTheNextOneHoldsTheBinding_PostsIntoTheHolder()
    {
        // Generation 1 closed, the customer moved to ~2, generation 1 deleted (retention); a fresh process re-creates an
        // active generation 1, where the pair is taken (50416 naming ~2).
        await using var fixture = await ConversationsFixture.StartAsync();
        var router = fixture.Provider.GetRequiredService<InboundConversationRouter>();
        var first = await router.RouteAsync("whatsapp:+447700900123", WhatsAppProxy, "hello");
        await fixture.Client.CloseAsync(first.ConversationSid);
        var second = await router.RouteAsync("whatsapp:+447700900123", WhatsAppProxy, "new question");
        await fixture.Client.DeleteAsync(first.ConversationSid);
        await using var restarted = ConversationsFixture.CreateProvider(fixture.Twilio, null, out _);

        var third = await restarted.GetRequiredService<InboundConversationRouter>().RouteAsync("whatsapp:+447700900123", WhatsAppProxy, "more");

        Assert.Equal("whatsapp:+447700900123~2", (await fixture.Client.GetAsync(second.ConversationSid))?.UniqueName);
        Assert.Equal(second.ConversationSid, third.ConversationSid);
        Assert.NotNull(third.ParticipantSid);
        Assert.Equal(["new question", "more"], (await ToListAsync(fixture.Client.ListMessagesAsync(second.ConversationSid))).Select(m => m.Body));
    }

    [Fact]
    public async Task RouteAsync_HolderClosedLater_RoutesBackIntoTheCustomersOwnConversation()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        var router = fixture.Provider.GetRequiredService<InboundConversationRouter>();
        var agent = await fixture.Client.CreateAsync("agent-started-case");
        await fixture.Client.EnsureParticipantAsync(agent.Sid, ParticipantBinding.Sms("+14155550100", SmsProxy));
        Assert.Equal(agent.Sid, (await router.RouteAsync("+14155550100", SmsProxy, "hello")).ConversationSid);
        await fixture.Client.CloseAsync(agent.Sid);

        // The emulator still accepts posts to a closed conversation; script Twilio's refusal.
        fixture.Twilio.InjectFault("POST", $"/v1/Conversations/{agent.Sid}/Messages", EmulatedFault.Error(400, 50000, "The conversation is closed"));
        var next = await router.RouteAsync("+14155550100", SmsProxy, "hello again");

        Assert.NotEqual(agent.Sid, next.ConversationSid);
        Assert.Equal("sms:+14155550100", (await fixture.Client.GetAsync(next.ConversationSid))?.UniqueName);
        Assert.NotNull(next.ParticipantSid);
    }

    [Fact]
    public async Task RouteAsync_BindingHeldByAConversationThatCannotBeNamed_SurfacesTheConflict()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        var router = fixture.Provider.GetRequiredService<InboundConversationRouter>();
        fixture.Twilio.InjectFault("POST", "/v1/Conversations/*/Participants", EmulatedFault.Error(409, 50416, "A binding for this participant and proxy address already exists"));

        var exception = await Assert.ThrowsAsync<ParticipantConflictException>(() => router.RouteAsync("+14155550100", SmsProxy, "hello"));

        Assert.Null(exception.ConflictingConversationSid);
        Assert.Equal(0, fixture.Count("POST", "/Messages"));
    }

    [Fact]
    public async Task RouteAsync_PostRefusedForAnotherReason_Throws()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        var router = fixture.Provider.GetRequiredService<InboundConversationRouter>();
        var first = await router.RouteAsync("+14155550100", SmsProxy, "hello");
        fixture.Twilio.InjectFault("POST", $"/v1/Conversations/{first.ConversationSid}/Messages", EmulatedFault.Error(400, 50000, "Refused"));

        var exception = await Assert.ThrowsAsync<TwilioApiException>(() => router.RouteAsync("+14155550100", SmsProxy, "again"));

        Assert.Equal(50000, exception.ErrorCode);
    }

    [Fact]
    public async Task RouteAsync_ParticipantRemovedElsewhere_IsEnsuredAgainSoTheNextMessageIsLinked()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        await using var other = ConversationsFixture.CreateProvider(fixture.Twilio, null, out _);
        var router = fixture.Provider.GetRequiredService<InboundConversationRouter>();
        var first = await router.RouteAsync("+14155550100", SmsProxy, "hello");
        Assert.True(await other.GetRequiredService<IConversationsClient>().RemoveParticipantAsync(first.ConversationSid, first.ParticipantSid!));

        var unlinked = await router.RouteAsync("+14155550100", SmsProxy, "still there?");
        var linked = await router.RouteAsync("+14155550100", SmsProxy, "hello?");

        Assert.Null(unlinked.ParticipantSid);
        Assert.NotNull(linked.ParticipantSid);
        Assert.NotEqual(first.ParticipantSid, linked.ParticipantSid);
        Assert.Equal(2, fixture.Count("POST", "/Participants"));
        Assert.Equal(first.ConversationSid, linked.ConversationSid);
    }

    [Fact]
    public async Task RouteAsync_InboundMedia_GoesIntoAttributesWithAPlaceholderBodyWhenThereIsNoText()
    {
        await using var fixture = await ConversationsFixture.StartAsync();
        var router = fixture.Provider.GetRequiredService<InboundConversationRouter>();
        var inbound = InboundConversationMessage.FromWebhook(
        [
            new("From", "+14155550100"),
            new("To", SmsProxy),
            new("Body", string.Empty),
            new("NumMedia", "2"),
            new("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"),
            new("MediaContentType0", "image/jpeg"),
            new("MediaUrl1", "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2"),
            new("MediaContentType1", "application/pdf"),
        ]);

        var mediaOnly = await router.RouteAsync(inbound);
        var withText = await router.RouteAsync(new InboundConversationMessage("+14155550100", SmsProxy) { Body = "see photo", Media = inbound.Media });
        var textOnly = await router.RouteAsync("+14155550100", SmsProxy, "plain");

        Assert.Equal(InboundConversationRouter.MediaPlaceholderBody, mediaOnly.Body);
        var media = mediaOnly.Attributes.ToJsonElement().GetProperty("media");
        Assert.Equal(2, media.GetArrayLength());
        Assert.Equal("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", media[0].GetProperty("url").GetString());
        Assert.Equal("application/pdf", media[1].GetProperty("contentType").GetString());
        Assert.Equal("see photo", withText.Body);
        Assert.Equal(2, withText.Attributes.ToJsonElement().GetProperty("media").GetArrayLength());
        Assert.Equal("{}", textOnly.Attributes.Json);
    }

    private static int StableHash(string value) => value.Aggregate(17, (h, c) => unchecked((h * 31) + c)) & int.MaxValue;

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    // What an app does without the helper: find the conversation by listing, create it if missing, find the participant
    // by listing, add it if missing, post the message.
    private static async Task NaiveRouteAsync(IConversationsClient client, string from, string to, string body)
    {
        var channel = from.StartsWith("whatsapp:", StringComparison.Ordinal) ? "whatsapp" : "sms";
        var number = from.Replace("whatsapp:", string.Empty, StringComparison.Ordinal);
        var uniqueName = $"{channel}:{number}";
        Conversation? conversation = null;
        await foreach (var c in client.ListAsync(pageSize: 50))
        {
            if (c.UniqueName == uniqueName)
            {
                conversation = c;
                break;
            }
        }

        conversation ??= await client.CreateAsync(uniqueName);
        var found = false;
        await foreach (var p in client.ListParticipantsAsync(conversation.Sid))
        {
            found |= p.Address == from;
        }

        if (!found)
        {
            var binding = channel == "whatsapp" ? ParticipantBinding.WhatsApp(from, to) : ParticipantBinding.Sms(from, to);
            await client.AddParticipantAsync(conversation.Sid, binding);
        }

        await client.SendMessageAsync(conversation.Sid, from, body);
    }

    private sealed class CountingNormalizer : IPhoneNumberNormalizer
    {
        public int Calls { get; private set; }

        public bool TryNormalize(string? input, string? defaultRegion, PhoneNumberParseOptions options, out PhoneNumber number, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out PhoneNumberParseError? failure)
        {
            Calls++;
            return PhoneNumberNormalizer.Default.TryNormalize(input, defaultRegion, options, out number, out failure);
        }
    }
}
