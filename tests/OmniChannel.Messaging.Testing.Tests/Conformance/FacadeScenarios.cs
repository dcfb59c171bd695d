using OmniChannel.Messaging.Conversations;
using OmniChannel.Messaging.Sms;
using OmniChannel.Messaging.WhatsApp;
using static OmniChannel.Messaging.Testing.Tests.Conformance.ScenarioContext;

namespace OmniChannel.Messaging.Testing.Tests.Conformance;

/// <summary>
/// The scenario catalogue: every public method of <see cref="IConversationsClient"/>, <see cref="ISmsClient"/>,
/// <see cref="IWhatsAppClient"/> and their extension classes, called with its optional arguments set and unset. The
/// Conversations scenarios run three times: on the default service, on a named service (<c>/v1/Services/{IS}/…</c>) and
/// with webhooks enabled (<c>X-Twilio-Webhook-Enabled: true</c>). To cover a new method or variant, add one line.
/// </summary>
internal static class FacadeScenarios
{
    private const string Callback = "https://example.com/twilio/status?tenant=acme";
    private const string Agent = "agent-7";

    private static readonly ConversationOptions EveryConversationOption = new()
    {
        FriendlyName = "Support Case 10492",
        Attributes = JsonAttributes.Parse("""{"tenantId":"acme"}"""),
        MessagingServiceSid = MessagingServiceSid,
        State = ConversationState.Active,
        InactiveAfter = TimeSpan.FromHours(1),
        CloseAfter = TimeSpan.FromDays(1),
    };

    private static readonly JsonAttributes Role = JsonAttributes.Parse("""{"role":"agent"}""");

    public static IReadOnlyList<FacadeScenario> Conversations { get; } =
    [
        new("IConversationsClient.CreateAsync", "no-unique-name", c => c.Conversations.CreateAsync(null)),
        new("IConversationsClient.CreateAsync", "unique-name", c => c.Conversations.CreateAsync("t_acme_case_1")),
        new("IConversationsClient.CreateAsync", "every-option", c => c.Conversations.CreateAsync("t_acme_case_1", EveryConversationOption)),
        new("IConversationsClient.CreateAsync", "friendly-name-only", c => c.Conversations.CreateAsync(null, new ConversationOptions { FriendlyName = "Walk-in" })),
        new("IConversationsClient.GetOrCreateAsync", "new", c => c.Conversations.GetOrCreateAsync("t_acme_case_2")),
        new("IConversationsClient.GetOrCreateAsync", "new-every-option", c => c.Conversations.GetOrCreateAsync("t_acme_case_2", EveryConversationOption)),
        new("IConversationsClient.GetOrCreateAsync", "existing", async c => Assert.False((await c.Conversations.GetOrCreateAsync(c.UniqueName)).Created)),
        new("IConversationsClient.GetAsync", "sid", async c => Assert.NotNull(await c.Conversations.GetAsync(c.ConversationSid))),
        new("IConversationsClient.GetAsync", "unique-name", async c => Assert.NotNull(await c.Conversations.GetAsync(c.UniqueName))),
        new("IConversationsClient.UpdateAsync", "friendly-name-attributes-state", c => c.Conversations.UpdateAsync(c.ConversationSid,
            new ConversationUpdate { FriendlyName = "Renamed", Attributes = JsonAttributes.Parse("""{"tier":"gold"}"""), State = ConversationState.Inactive })),
        new("IConversationsClient.UpdateAsync", "unique-name-service-timers", c => c.Conversations.UpdateAsync(c.ConversationSid,
            new ConversationUpdate { UniqueName = "t_acme_renamed", MessagingServiceSid = MessagingServiceSid, InactiveAfter = TimeSpan.FromMinutes(5), CloseAfter = TimeSpan.FromMinutes(20) })),
        new("IConversationsClient.UpdateAsync", "state-closed", c => c.Conversations.UpdateAsync(c.ConversationSid, new ConversationUpdate { State = ConversationState.Closed })),
        new("IConversationsClient.DeleteAsync", "existing", async c => Assert.True(await c.Conversations.DeleteAsync(c.ConversationSid))),
        new("IConversationsClient.ListAsync", "defaults-next-page", async c =>
        {
            await c.SeedConversationsAsync(50);
            await ReadAllAsync(c.Conversations.ListAsync(), 52);
        }),
        new("IConversationsClient.ListAsync", "state-page-size-next-page", c => ReadAllAsync(c.Conversations.ListAsync(ConversationState.Active, 1), 2)),
        new("IConversationsClient.AddParticipantAsync", "chat", c => c.Conversations.AddParticipantAsync(c.ConversationSid, ParticipantBinding.Chat(Agent))),
        new("IConversationsClient.AddParticipantAsync", "chat-attributes", c => c.Conversations.AddParticipantAsync(c.ConversationSid, ParticipantBinding.Chat(Agent), Role)),
        new("IConversationsClient.AddParticipantAsync", "sms-national-number", c => c.Conversations.AddParticipantAsync(c.ConversationSid, ParticipantBinding.Sms("(415) 555-0142", SmsSender, "US"))),
        new("IConversationsClient.AddParticipantAsync", "whatsapp-attributes", c => c.Conversations.AddParticipantAsync(c.ConversationSid, ParticipantBinding.WhatsApp("+447700900123", "+14155238886"), Role)),
        new("IConversationsClient.EnsureParticipantAsync", "new-chat", c => c.Conversations.EnsureParticipantAsync(c.ConversationSid, ParticipantBinding.Chat(Agent), Role)),
        new("IConversationsClient.EnsureParticipantAsync", "existing-chat", async c => Assert.False((await c.Conversations.EnsureParticipantAsync(c.ConversationSid, ParticipantBinding.Chat(SeedIdentity))).Created)),
        new("IConversationsClient.EnsureParticipantAsync", "new-sms", c => c.Conversations.EnsureParticipantAsync(c.ConversationSid, ParticipantBinding.Sms("+14155550142", SmsSender))),
        new("IConversationsClient.EnsureParticipantAsync", "existing-sms", async c => Assert.False((await c.Conversations.EnsureParticipantAsync(c.ConversationSid, ParticipantBinding.Sms(SmsUser, SmsSender))).Created)),
        new("IConversationsClient.EnsureParticipantAsync", "new-whatsapp", c => c.Conversations.EnsureParticipantAsync(c.ConversationSid, ParticipantBinding.WhatsApp("+447700900123", "+14155238886"))),
        new("IConversationsClient.EnsureParticipantAsync", "binding-held-elsewhere", c => Assert.ThrowsAsync<ParticipantConflictException>(
            () => c.Conversations.EnsureParticipantAsync(c.ConversationSid, ParticipantBinding.Sms(SeedSmsUser, SmsSender)))),
        new("IConversationsClient.EnsureParticipantAsync", "binding-held-elsewhere-unnamed", c =>
        {
            // Twilio's 50416 message usually names the other conversation; without it the client asks ParticipantConversations.
            c.Twilio.InjectFault("POST", "/**/Participants", EmulatedFault.Error(409, 50416, "A binding for this participant and proxy address already exists"));
            return Assert.ThrowsAsync<ParticipantConflictException>(() => c.Conversations.EnsureParticipantAsync(c.ConversationSid, ParticipantBinding.Sms(SeedSmsUser, SmsSender)));
        }) { ToleratedErrorCodes = [50416] },
        new("IConversationsClient.FindParticipantAsync(String, ParticipantBinding)", "chat", async c => Assert.NotNull(await c.Conversations.FindParticipantAsync(c.ConversationSid, ParticipantBinding.Chat(SeedIdentity)))),
        new("IConversationsClient.FindParticipantAsync(String, ParticipantBinding)", "sms", async c => Assert.NotNull(await c.Conversations.FindParticipantAsync(c.ConversationSid, ParticipantBinding.Sms(SmsUser, SmsSender)))),
        new("IConversationsClient.FindParticipantAsync(String, String)", "chat-identity", async c => Assert.NotNull(await c.Conversations.FindParticipantAsync(c.ConversationSid, SeedIdentity))),
        new("IConversationsClient.FindParticipantAsync(String, String)", "sms-address", async c => Assert.NotNull(await c.Conversations.FindParticipantAsync(c.ConversationSid, SmsUser))),
        new("IConversationsClient.FindParticipantAsync(String, String)", "unknown-address", async c => Assert.Null(await c.Conversations.FindParticipantAsync(c.ConversationSid, "whatsapp:+447700900999"))),
        new("IConversationsClient.EvictCachedAsync", "unique-name", async c => await c.Conversations.EvictCachedAsync(c.UniqueName)) { SendsNoRequest = true },
        new("IConversationsClient.EvictCachedAsync", "then-get-or-create", async c =>
        {
            await c.Conversations.EvictCachedAsync(c.ConversationSid);
            Assert.False((await c.Conversations.GetOrCreateAsync(c.UniqueName)).Created);
        }),
        new("IConversationsClient.WithWebhooks", "enabled-send", c => c.Conversations.WithWebhooks(true).SendMessageAsync(c.ConversationSid, new ConversationMessageRequest { Author = Agent, Body = "Echo me" })),
        new("IConversationsClient.WithWebhooks", "disabled-add-participant", c => c.Conversations.WithWebhooks(false).AddParticipantAsync(c.ConversationSid, ParticipantBinding.Chat("agent-9"))),
        new("IConversationsClient.UpdateParticipantAsync", "attributes", c => c.Conversations.UpdateParticipantAsync(c.ConversationSid, c.SmsParticipantSid, new ParticipantUpdate { Attributes = Role })),
        new("IConversationsClient.UpdateParticipantAsync", "role-last-read", c => c.Conversations.UpdateParticipantAsync(c.ConversationSid, c.ChatParticipantSid,
            new ParticipantUpdate { RoleSid = "RL0123456789abcdef0123456789abcdef", LastReadMessageIndex = 0 })),
        new("IConversationsClient.RemoveParticipantAsync", "existing", async c => Assert.True(await c.Conversations.RemoveParticipantAsync(c.ConversationSid, c.ChatParticipantSid))),
        new("IConversationsClient.ListParticipantsAsync", "one-page", c => ReadAllAsync(c.Conversations.ListParticipantsAsync(c.ConversationSid), 2)),
        new("IConversationsClient.ListParticipantsAsync", "next-page", async c =>
        {
            await c.SeedParticipantsAsync(100);
            await ReadAllAsync(c.Conversations.ListParticipantsAsync(c.ConversationSid), 102);
        }),
        new("IConversationsClient.SendMessageAsync", "author-body", c => c.Conversations.SendMessageAsync(c.ConversationSid, new ConversationMessageRequest { Author = Agent, Body = "Hi, how can we help?" })),
        new("IConversationsClient.SendMessageAsync", "body-attributes-subject", c => c.Conversations.SendMessageAsync(c.ConversationSid,
            new ConversationMessageRequest { Body = "Hi", Attributes = JsonAttributes.Parse("""{"ticket":10492}"""), Subject = "Case 10492" })),
        new("IConversationsClient.SendMessageAsync", "media", c => c.Conversations.SendMessageAsync(c.ConversationSid, new ConversationMessageRequest { Author = Agent, MediaSid = "ME0123456789abcdef0123456789abcdef" })),
        new("IConversationsClient.SendMessageAsync", "content-variables", c => c.Conversations.SendMessageAsync(c.ConversationSid,
            new ConversationMessageRequest { ContentSid = c.ContentSid, ContentVariables = new Dictionary<string, string> { ["1"] = "Ada" } })),
        new("IConversationsClient.SendMessageAsync", "content-only", c => c.Conversations.SendMessageAsync(c.ConversationSid, new ConversationMessageRequest { Author = Agent, ContentSid = c.ContentSid })),
        new("IConversationsClient.GetMessageAsync", "existing", async c => Assert.NotNull(await c.Conversations.GetMessageAsync(c.ConversationSid, c.ConversationMessageSid))),
        new("IConversationsClient.ListMessagesAsync", "defaults", c => ReadAllAsync(c.Conversations.ListMessagesAsync(c.ConversationSid))),
        new("IConversationsClient.ListMessagesAsync", "descending-page-size-next-page", async c =>
        {
            await c.SeedMessagesAsync(1);
            await ReadAllAsync(c.Conversations.ListMessagesAsync(c.ConversationSid, MessageOrder.Descending, 1), 2);
        }),
        new("IConversationsClient.DeleteMessageAsync", "existing", async c => Assert.True(await c.Conversations.DeleteMessageAsync(c.ConversationSid, c.ConversationMessageSid))),
        new("ConversationsClientExtensions.CloseAsync", "existing", c => c.Conversations.CloseAsync(c.ConversationSid)),
        new("ConversationsClientExtensions.SendMessageAsync", "author-body", c => c.Conversations.SendMessageAsync(c.ConversationSid, Agent, "On it.")),
        new("InboundConversationRouter.RouteAsync(String, String, String, String)", "sms-new-customer", c => c.Router.RouteAsync("+14155550166", SmsSender, "Where is my order?", "acme")),
        new("InboundConversationRouter.RouteAsync(String, String, String, String)", "whatsapp-twice", async c =>
        {
            await c.Router.RouteAsync(WhatsAppUser, "whatsapp:+14155238886", "Hi");
            await c.Router.RouteAsync(WhatsAppUser, "whatsapp:+14155238886", "Are you there?");
        }),
        new("InboundConversationRouter.RouteAsync(InboundConversationMessage)", "media-only", c => c.Router.RouteAsync(new InboundConversationMessage("+14155550178", SmsSender)
        {
            Media = [new InboundConversationMedia(new Uri("https://example.com/photo.jpg"), "image/jpeg")],
        })),
        new("ConversationsClientExtensions.FindParticipantByIdentityAsync", "existing", async c => Assert.NotNull(await c.Conversations.FindParticipantByIdentityAsync(c.ConversationSid, SeedIdentity))),
    ];

    public static IReadOnlyList<FacadeScenario> Sms { get; } =
    [
        new("ISmsClient.SendAsync", "from-body", async c => Accepted(await c.Sms.SendAsync(new SmsMessage(SmsUser, "Your code is 123456")))),
        new("ISmsClient.SendAsync", "explicit-from", async c => Accepted(await c.Sms.SendAsync(new SmsMessage(SmsUser, "Hi") { From = "+14155559999" }))),
        new("ISmsClient.SendAsync", "service-from-options", async c => Accepted(await c.SmsWith(o =>
        {
            o.From = null;
            o.MessagingServiceSid = MessagingServiceSid;
        }).SendAsync(new SmsMessage(SmsUser, "Hi")))),
        new("ISmsClient.SendAsync", "service-every-option", async c => Accepted(await c.Sms.SendAsync(new SmsMessage(SmsUser, "Reminder: your appointment is tomorrow https://example.com/a")
        {
            MessagingServiceSid = MessagingServiceSid,
            StatusCallback = new Uri(Callback),
            ValidityPeriod = TimeSpan.FromMinutes(10),
            ProvideFeedback = true,
            ShortenUrls = true,
            SmartEncoded = true,
            SendAt = TimeProvider.System.GetUtcNow().AddDays(1),
            IdempotencyKey = "order-10492",
        }))),
        new("ISmsClient.SendAsync", "callback-smart-encoded-region-from-options", async c => Accepted(await c.SmsWith(o =>
        {
            o.StatusCallback = new Uri(Callback);
            o.SmartEncoded = false;
            o.DefaultRegion = "US";
        }).SendAsync(new SmsMessage("(415) 555-0100", "Hi") { ProvideFeedback = false, ValidityPeriod = TimeSpan.FromSeconds(30) }))),
        new("ISmsClient.SendAsync", "media-one-no-body", async c => Accepted(await c.Sms.SendAsync(new SmsMessage(SmsUser, null) { MediaUrls = [new Uri("https://example.com/a.jpg")] }))),
        new("ISmsClient.SendAsync", "media-two-body", async c => Accepted(await c.Sms.SendAsync(new SmsMessage(SmsUser, "Photos")
        {
            MediaUrls = [new Uri("https://example.com/a.jpg"), new Uri("https://example.com/b.png")],
        }))),
        new("ISmsClient.SendManyAsync", "two-messages", async c => Accepted(await c.Sms.SendManyAsync([new SmsMessage(SmsUser, "One"), new SmsMessage("+14155550101", "Two") { StatusCallback = new Uri(Callback) }]))),
        new("ISmsClient.GetAsync", "sent-message", async c => Assert.Equal(c.SmsMessageSid, (await c.Sms.GetAsync(c.SmsMessageSid)).MessageSid)),
        new("ISmsClient.ApplyStatusCallbackAsync", "local-only", async c => await c.Sms.ApplyStatusCallbackAsync(SmsUser, MessageStatus.Undelivered, 30003)) { SendsNoRequest = true },
        new("SmsClientExtensions.SendAsync", "to-body", async c => Accepted(await c.Sms.SendAsync(SmsUser, "Hi"))),
        new("SmsClientExtensions.SendManyAsync", "recipients-body", async c => Accepted(await c.Sms.SendManyAsync([SmsUser, "+14155550101"], "Hi all"))),
    ];

    public static IReadOnlyList<FacadeScenario> WhatsApp { get; } =
    [
        new("IWhatsAppClient.SendAsync", "session", async c =>
        {
            await c.UserWritesAsync();
            Accepted(await c.WhatsApp.SendAsync(new WhatsAppMessage(WhatsAppUser, "Thanks for writing")));
        }),
        new("IWhatsAppClient.SendAsync", "session-callback-validity-idempotency", async c =>
        {
            await c.UserWritesAsync();
            Accepted(await c.WhatsApp.SendAsync(new WhatsAppMessage(WhatsAppUser, "Thanks") { StatusCallback = new Uri(Callback), ValidityPeriod = TimeSpan.FromHours(1), IdempotencyKey = "reply-1" }));
        }),
        new("IWhatsAppClient.SendAsync", "session-media", async c =>
        {
            await c.UserWritesAsync();
            Accepted(await c.WhatsApp.SendAsync(new WhatsAppMessage(WhatsAppUser) { Media = [new WhatsAppMedia(new Uri("https://example.com/label.pdf"))] }));
        }),
        new("IWhatsAppClient.SendAsync", "session-media-body", async c =>
        {
            await c.UserWritesAsync();
            Accepted(await c.WhatsApp.SendAsync(new WhatsAppMessage(WhatsAppUser, "Your label") { Media = [new WhatsAppMedia(new Uri("https://example.com/a.jpg"), "image/jpeg", 1024)] }));
        }),
        new("IWhatsAppClient.SendAsync", "session-via-service-callback-from-options", async c =>
        {
            await c.UserWritesAsync();
            Accepted(await c.WhatsAppWith(o =>
            {
                o.MessagingServiceSid = MessagingServiceSid;
                o.StatusCallback = new Uri(Callback);
            }).SendAsync(new WhatsAppMessage(WhatsAppUser, "Thanks")));
        }),
        new("IWhatsAppClient.SendAsync", "session-shorten-feedback-scheduled-via-service", async c =>
        {
            await c.UserWritesAsync();
            Accepted(await c.WhatsAppWith(o => o.MessagingServiceSid = MessagingServiceSid).SendAsync(new WhatsAppMessage(WhatsAppUser, "Track it at https://example.com/t/10492")
            {
                ShortenUrls = true,
                ProvideFeedback = true,
                SendAt = TimeProvider.System.GetUtcNow().AddHours(1),
            }));
        }),
        new("IWhatsAppClient.SendAsync", "template", async c => Accepted(await c.WhatsApp.SendAsync(new WhatsAppMessage(WhatsAppUser) { Template = new WhatsAppTemplate(c.ContentSid) }))),
        new("IWhatsAppClient.SendAsync", "template-variables-callback", async c => Accepted(await c.WhatsApp.SendAsync(new WhatsAppMessage(WhatsAppUser)
        {
            Template = new WhatsAppTemplate(c.ContentSid, "Ada", "10492"),
            StatusCallback = new Uri(Callback),
        }))),
        new("IWhatsAppClient.SendAsync", "template-scheduled-via-service", async c => Accepted(await c.WhatsAppWith(o => o.MessagingServiceSid = MessagingServiceSid)
            .SendAsync(new WhatsAppMessage(WhatsAppUser) { Template = new WhatsAppTemplate(c.ContentSid, "Ada"), SendAt = TimeProvider.System.GetUtcNow().AddDays(1), ValidityPeriod = TimeSpan.FromHours(2) }))),
        new("IWhatsAppClient.SendAsync", "fallback-window-closed", async c => Accepted(await c.WhatsApp.SendAsync(new WhatsAppMessage(WhatsAppUser, "Hi") { FallbackTemplate = new WhatsAppTemplate(c.ContentSid, "Ada") }))),
        new("IWhatsAppClient.SendAsync", "fallback-after-63016", async c =>
        {
            // The app saw an inbound message Twilio did not count: the free-form send gets 63016, then the template goes.
            await c.UserWritesAsync(twilioSeesIt: false);
            Accepted(await c.WhatsApp.SendAsync(new WhatsAppMessage(WhatsAppUser, "Hi") { FallbackTemplate = new WhatsAppTemplate(c.ContentSid, "Ada") }));
        }) { SynchronousChannelErrors = true, ToleratedErrorCodes = [63016] },
        new("IWhatsAppClient.SendManyAsync", "session-and-template", async c =>
        {
            await c.UserWritesAsync();
            Accepted(await c.WhatsApp.SendManyAsync([new WhatsAppMessage(WhatsAppUser, "One"), new WhatsAppMessage(WhatsAppUser) { Template = new WhatsAppTemplate(c.ContentSid) }]));
        }),
        new("IWhatsAppClient.GetWindowAsync", "local-only", async c => Assert.False((await c.WhatsApp.GetWindowAsync(WhatsAppUser)).IsOpen)) { SendsNoRequest = true },
        new("IWhatsAppClient.ApplyStatusCallbackAsync", "local-only", async c => await c.WhatsApp.ApplyStatusCallbackAsync(WhatsAppUser, MessageStatus.Failed, 63016)) { SendsNoRequest = true },
        new("WhatsAppClientExtensions.SendAsync(String, String)", "session", async c =>
        {
            await c.UserWritesAsync();
            Accepted(await c.WhatsApp.SendAsync(WhatsAppUser, "Thanks"));
        }),
        new("WhatsAppClientExtensions.SendAsync(String, String, WhatsAppTemplate)", "window-closed", async c => Accepted(await c.WhatsApp.SendAsync(WhatsAppUser, "Hi", new WhatsAppTemplate(c.ContentSid)))),
        new("WhatsAppClientExtensions.SendTemplateAsync", "variables", async c => Accepted(await c.WhatsApp.SendTemplateAsync(WhatsAppUser, new WhatsAppTemplate(c.ContentSid, "Ada")))),
    ];

    /// <summary>Gets every scenario, the Conversations ones once per scope.</summary>
    public static IReadOnlyList<FacadeScenario> All { get; } =
    [
        .. Conversations.SelectMany(s => Enum.GetValues<ConversationsScope>().Select(scope => s with { Scope = scope })),
        .. Sms,
        .. WhatsApp,
    ];

    public static FacadeScenario Find(string name) => All.Single(s => s.Name == name);
}
