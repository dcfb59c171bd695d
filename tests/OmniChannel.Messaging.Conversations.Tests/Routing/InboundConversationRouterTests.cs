using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
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

        // The message posts are the same 1,000 either way; what routing adds on top is what the helper saves.
        var routedOverhead = routed - 1000;
        var naiveOverhead = naive - 1000;
        var fewerCalls = 1 - ((double)routed / naive);
        var fewerRoutingCalls = 1 - ((double)routedOverhead / naiveOverhead);
        output.WriteLine($"router: {routed} calls ({routedOverhead} routing + 1000 posts); naive list-and-create: {naive} calls ({naiveOverhead} routing + 1000 posts)");
        output.WriteLine($"fewer calls in all: {fewerCalls:P1}; fewer routing calls: {fewerRoutingCalls:P1}");

        Assert.Equal(100, routedOverhead); // 50 conversation creates + 50 participant creates
        Assert.True(fewerRoutingCalls >= 0.90, $"routing calls were only {fewerRoutingCalls:P1} fewer");
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
}
