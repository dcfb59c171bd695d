using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Conversations.Tests.Conformance;

/// <summary>Drives every facade call, optional fields set and unset, against Prism's strict mock of Twilio's spec.</summary>
public sealed class ConversationsConformanceTests
{
    private const string Conversation = "CH0123456789abcdef0123456789abcdef";
    private const string Participant = "MB0123456789abcdef0123456789abcdef";
    private const string Message = "IM0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData(null)]
    [InlineData("IS0123456789abcdef0123456789abcdef")]
    public async Task EveryFacadeRequest_IsAcceptedByTwiliosSpec(string? serviceSid)
    {
        var (conversationsUrl, apiUrl) = PrismConformance.RequirePrism();
        var recorder = new PrismConformance();
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(o =>
            {
                o.AccountSid = "AC0123456789abcdef0123456789abcdef";
                o.AuthToken = "0123456789abcdef0123456789abcdef";
                o.UseEnvironmentVariables = false;
                o.ConversationsBaseUrl = conversationsUrl;
                o.ApiBaseUrl = apiUrl;
                o.Retry.MaxAttempts = 1;
                o.CircuitBreaker.Enabled = false;
            })
            .AddConversations(o =>
            {
                o.ServiceSid = serviceSid;
                o.EnableWebhooks = true;
                o.UniqueNameCacheDuration = TimeSpan.Zero;
                o.ParticipantCacheDuration = TimeSpan.Zero;
            })
            .ConfigureHttpClient(b => b.AddHttpMessageHandler(() => recorder));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IConversationsClient>();

        await Try(() => client.CreateAsync(null));
        await Try(() => client.CreateAsync("case-1", new ConversationOptions
        {
            FriendlyName = "Case 1",
            Attributes = JsonAttributes.Parse("""{"tenantId":"acme"}"""),
            MessagingServiceSid = "MG0123456789abcdef0123456789abcdef",
            State = ConversationState.Active,
            InactiveAfter = TimeSpan.FromHours(1),
            CloseAfter = TimeSpan.FromDays(2),
        }));
        await Try(() => client.GetOrCreateAsync("case-2"));
        await Try(() => client.GetAsync(Conversation));
        await Try(() => client.GetAsync("case-2"));
        await Try(() => client.UpdateAsync(Conversation, new ConversationUpdate { FriendlyName = "x", UniqueName = "case-3", Attributes = JsonAttributes.Empty, State = ConversationState.Inactive, InactiveAfter = TimeSpan.FromMinutes(5), CloseAfter = TimeSpan.FromMinutes(20), MessagingServiceSid = "MG0123456789abcdef0123456789abcdef" }));
        await Try(() => client.CloseAsync(Conversation));
        await Try(() => client.DeleteAsync(Conversation));
        await Try(() => First(client.ListAsync()));
        await Try(() => First(client.ListAsync(ConversationState.Closed, 100)));
        await Try(() => client.AddParticipantAsync(Conversation, ParticipantBinding.Chat("agent-7"), JsonAttributes.Parse("""{"role":"agent"}""")));
        await Try(() => client.EnsureParticipantAsync(Conversation, ParticipantBinding.Sms("(415) 555-0100", "+14155551234", "US")));
        await Try(() => client.EnsureParticipantAsync(Conversation, ParticipantBinding.WhatsApp("+447700900123", "+14155238886")));
        await Try(() => client.FindParticipantAsync(Conversation, ParticipantBinding.Chat("agent-7")));
        await Try(() => client.FindParticipantAsync(Conversation, ParticipantBinding.Sms("+14155550100", "+14155551234")));
        await Try(() => client.UpdateParticipantAsync(Conversation, Participant, new ParticipantUpdate { Attributes = JsonAttributes.Empty, RoleSid = "RL0123456789abcdef0123456789abcdef", LastReadMessageIndex = 3 }));
        await Try(() => client.RemoveParticipantAsync(Conversation, Participant));
        await Try(() => First(client.ListParticipantsAsync(Conversation)));
        await Try(() => client.SendMessageAsync(Conversation, "agent-7", "Hi"));
        await Try(() => client.SendMessageAsync(Conversation, new ConversationMessageRequest { Body = "Hi", Attributes = JsonAttributes.Parse("""{"a":1}"""), Subject = "Case" }));
        await Try(() => client.SendMessageAsync(Conversation, new ConversationMessageRequest { Author = "agent-7", MediaSid = "ME0123456789abcdef0123456789abcdef" }));
        await Try(() => client.SendMessageAsync(Conversation, new ConversationMessageRequest { ContentSid = "HX0123456789abcdef0123456789abcdef", ContentVariables = new Dictionary<string, string> { ["1"] = "Ada" } }));
        await Try(() => client.GetMessageAsync(Conversation, Message));
        await Try(() => First(client.ListMessagesAsync(Conversation)));
        await Try(() => First(client.ListMessagesAsync(Conversation, MessageOrder.Descending, 10)));
        await Try(() => client.DeleteMessageAsync(Conversation, Message));
        await Try(() => client.FindParticipantAsync(Conversation, "+1 415 555 0100"));
        await Try(() => client.FindParticipantAsync(Conversation, "agent-7"));
        await Try(() => client.WithWebhooks(false).SendMessageAsync(Conversation, "agent-7", "Hi"));
        await Try(() => client.WithWebhooks(false).DeleteAsync(Conversation));
        var router = provider.GetRequiredService<InboundConversationRouter>();
        await Try(() => router.RouteAsync(new InboundConversationMessage("+14155550100", "+14155551234")
        {
            Media = [new InboundConversationMedia(new Uri("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"), "image/jpeg")],
        }));

        recorder.AssertNoRequestViolations();
        Assert.True(recorder.Exchanges.Count >= 25, $"only {recorder.Exchanges.Count} requests reached Prism");
    }

    // Prism answers with the spec's examples, which the facade may not be able to follow (an example SID, a 500 for a
    // broken response example); only what Prism said about each request matters here.
    private static async Task Try(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (TwilioApiException)
        {
        }
        catch (System.Text.Json.JsonException)
        {
        }
    }

    private static async Task First<T>(IAsyncEnumerable<T> items)
    {
        await foreach (var _ in items)
        {
            break;
        }
    }
}
