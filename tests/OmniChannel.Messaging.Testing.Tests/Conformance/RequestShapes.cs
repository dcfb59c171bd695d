namespace OmniChannel.Messaging.Testing.Tests.Conformance;

/// <summary>
/// Hand-written requests that Twilio's contract refuses (both Prism and the emulator must reject them, so the emulator
/// accepts no more than the real API), and two probes of the strict spec. The valid shapes the SDK produces are not
/// written here: they are recorded from the real facades (<see cref="FacadeScenarios"/>).
/// </summary>
internal static class RequestShapes
{
    public const string SmsSender = "+14155551234";
    public const string SmsUser = "+14155550100";
    public const string WhatsAppSender = "whatsapp:+14155238886";
    public const string WhatsAppUser = "whatsapp:+447700900123";
    public const string MessagingServiceSid = "MG11111111111111111111111111111111";

    /// <summary>
    /// Probes of the strict spec itself (not SDK shapes: those are recorded from the facades, see
    /// <see cref="FacadeScenarios"/>): <c>MediaUrl</c> with one and with two values must pass.
    /// </summary>
    public static IReadOnlyList<RequestShape> Probes { get; } =
    [
        new("mms.create.one", c => PostMessage(c).AddForm("To", SmsUser).AddForm("From", SmsSender).AddFormValues("MediaUrl", ["https://example.com/a.jpg"])),
        new("mms.create.two", c => PostMessage(c).AddForm("To", SmsUser).AddForm("From", SmsSender).AddForm("Body", "Photos")
            .AddFormValues("MediaUrl", ["https://example.com/a.jpg", "https://example.com/b.png"])),
        new("conversation.list.pageBeyondInt32", _ => Get("/v1/Conversations").AddQuery("Page", "3000000000")),
    ];

    /// <summary>Requests Twilio's contract refuses; both Prism and the emulator must reject them.</summary>
    public static IReadOnlyList<RequestShape> Invalid { get; } =
    [
        new("invalid.participant.misspeltAddress", c => Post($"/v1/Conversations/{c.ConversationSid}/Participants")
            .AddForm("MessagingBinding.Adress", SmsUser).AddForm("MessagingBinding.ProxyAddress", SmsSender), IsValid: false),
        new("invalid.conversation.lowerCaseField", c => Post("/v1/Conversations").AddForm("uniqueName", c.FreshUniqueName), IsValid: false),
        new("invalid.conversation.state", _ => Post("/v1/Conversations").AddForm("State", "open"), IsValid: false),
        new("invalid.conversation.stateInitializing", _ => Post("/v1/Conversations").AddForm("State", "initializing"), IsValid: false),
        new("invalid.conversation.update.stateInitializing", c => Post($"/v1/Conversations/{c.ConversationSid}").AddForm("State", "initializing"), IsValid: false),
        new("invalid.conversation.serviceSid", _ => Post("/v1/Conversations").AddForm("MessagingServiceSid", "MG123"), IsValid: false),
        new("invalid.conversation.webhookHeader", _ => Post("/v1/Conversations").SetHeader("X-Twilio-Webhook-Enabled", "True"), IsValid: false),
        new("invalid.conversation.listState", _ => Get("/v1/Conversations").AddQuery("State", "open"), IsValid: false),
        new("invalid.message.order", c => Get($"/v1/Conversations/{c.ConversationSid}/Messages").AddQuery("Order", "newest"), IsValid: false),
        new("invalid.message.contentSid", c => Post($"/v1/Conversations/{c.ConversationSid}/Messages").AddForm("ContentSid", "HX1"), IsValid: false),
        new("invalid.sms.noTo", c => PostMessage(c).AddForm("From", SmsSender).AddForm("Body", "x"), IsValid: false),
        new("invalid.sms.booleanCase", c => PostMessage(c).AddForm("To", SmsUser).AddForm("From", SmsSender).AddForm("Body", "x").AddForm("ProvideFeedback", "True"), IsValid: false),
        new("invalid.sms.emptyCallback", c => PostMessage(c).AddForm("To", SmsUser).AddForm("From", SmsSender).AddForm("Body", "x").AddForm("StatusCallback", string.Empty), IsValid: false),
        new("invalid.sms.riskCheck", c => PostMessage(c).AddForm("To", SmsUser).AddForm("From", SmsSender).AddForm("Body", "x").AddForm("RiskCheck", "on"), IsValid: false),
        new("invalid.sms.tags", c => PostMessage(c).AddForm("To", SmsUser).AddForm("From", SmsSender).AddForm("Body", "x").AddForm("Tags", "{}"), IsValid: false),
        new("invalid.sms.validityPeriod", c => PostMessage(c).AddForm("To", SmsUser).AddForm("From", SmsSender).AddForm("Body", "x").AddForm("ValidityPeriod", "soon"), IsValid: false),
        new("invalid.sms.fallbackFrom", c => PostMessage(c).AddForm("To", SmsUser).AddForm("MessagingServiceSid", MessagingServiceSid).AddForm("Body", "x").AddForm("FallbackFrom", SmsSender), IsValid: false),
        new("invalid.conversation.list.pageSize101", _ => Get("/v1/Conversations").AddQuery("PageSize", "101"), IsValid: false),
        new("invalid.conversation.list.pageSizeBeyondInt32", _ => Get("/v1/Conversations").AddQuery("PageSize", "3000000000"), IsValid: false),
        new("invalid.conversation.list.pageSize0", _ => Get("/v1/Conversations").AddQuery("PageSize", "0"), IsValid: false),
        new("invalid.conversation.list.service.pageSize101", c => Get($"/v1/Services/{c.ChatServiceSid}/Conversations").AddQuery("PageSize", "101"), IsValid: false),
        new("invalid.participant.list.pageSize101", c => Get($"/v1/Conversations/{c.ConversationSid}/Participants").AddQuery("PageSize", "101"), IsValid: false),
        new("invalid.message.list.pageSize101", c => Get($"/v1/Conversations/{c.ConversationSid}/Messages").AddQuery("PageSize", "101"), IsValid: false),
        new("invalid.message.list.pageNegative", c => Get($"/v1/Conversations/{c.ConversationSid}/Messages").AddQuery("Page", "-1"), IsValid: false),
        new("invalid.participantConversations.pageSize51", _ => Get("/v1/ParticipantConversations").AddQuery("Address", SmsUser).AddQuery("PageSize", "51"), IsValid: false),
        new("invalid.participantConversations.service.pageSize51", c => Get($"/v1/Services/{c.ChatServiceSid}/ParticipantConversations").AddQuery("Address", SmsUser).AddQuery("PageSize", "51"), IsValid: false),
        new("invalid.messages2010.list.pageSize1001", c => Get(TwilioProduct.Api, $"/2010-04-01/Accounts/{c.AccountSid}/Messages.json").AddQuery("PageSize", "1001"), IsValid: false),
    ];

    public static IEnumerable<RequestShape> All => Probes.Concat(Invalid);

    public static RequestShape Find(string name) => All.Single(s => s.Name == name);

    private static TwilioRequest Post(string path) => new(HttpMethod.Post, TwilioProduct.Conversations, path);

    private static TwilioRequest Get(string path) => new(HttpMethod.Get, TwilioProduct.Conversations, path);

    private static TwilioRequest Get(TwilioProduct product, string path) => new(HttpMethod.Get, product, path);

    private static TwilioRequest PostMessage(ShapeContext c) => new(HttpMethod.Post, TwilioProduct.Api, $"/2010-04-01/Accounts/{c.AccountSid}/Messages.json");
}
