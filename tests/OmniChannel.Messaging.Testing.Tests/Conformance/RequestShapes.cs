namespace OmniChannel.Messaging.Testing.Tests.Conformance;

/// <summary>
/// The table of every request shape the SDK produces, one entry per facade call with optional fields set and unset.
/// Facade issues add their shapes to the matching list; the conformance suite sends each to Prism and to the emulator.
/// </summary>
internal static class RequestShapes
{
    public const string SmsSender = "+14155551234";
    public const string SmsUser = "+14155550100";
    public const string WhatsAppSender = "whatsapp:+14155238886";
    public const string WhatsAppUser = "whatsapp:+447700900123";
    public const string MessagingServiceSid = "MG11111111111111111111111111111111";

    public static IReadOnlyList<RequestShape> Conversations { get; } =
    [
        new("conversation.create.minimal", _ => Post("/v1/Conversations")),
        new("conversation.create.full", c => Post("/v1/Conversations")
            .AddForm("UniqueName", c.FreshUniqueName).AddForm("FriendlyName", "Support Case 10492")
            .AddForm("Attributes", "{\"tenantId\":\"acme\"}").AddForm("MessagingServiceSid", MessagingServiceSid)
            .AddForm("State", "active").AddForm("Timers.Inactive", "PT1H").AddForm("Timers.Closed", "P1D")),
        new("conversation.create.webhookEnabled", c => Post("/v1/Conversations").AddForm("UniqueName", c.FreshUniqueName).SetHeader("X-Twilio-Webhook-Enabled", "true")),
        new("conversation.create.service", c => Post($"/v1/Services/{c.ChatServiceSid}/Conversations").AddForm("UniqueName", c.FreshUniqueName)),
        new("conversation.update", c => Post($"/v1/Conversations/{c.ConversationSid}")
            .AddForm("FriendlyName", "Renamed").AddForm("Attributes", "{}").AddForm("State", "inactive")),
        new("conversation.update.close", c => Post($"/v1/Conversations/{c.ConversationSid}").AddForm("State", "closed")),
        new("conversation.fetch.sid", c => Get($"/v1/Conversations/{c.ConversationSid}")),
        new("conversation.fetch.uniqueName", c => Get($"/v1/Conversations/{Uri.EscapeDataString(c.ConversationUniqueName)}")),
        new("conversation.list", _ => Get("/v1/Conversations").AddQuery("PageSize", "50")),
        new("conversation.list.state", _ => Get("/v1/Conversations").AddQuery("State", "active").AddQuery("PageSize", "20")),
        new("conversation.delete", c => new TwilioRequest(HttpMethod.Delete, TwilioProduct.Conversations, $"/v1/Conversations/{c.ConversationSid}")),
        new("participant.create.identity", c => Post($"/v1/Conversations/{c.ConversationSid}/Participants")
            .AddForm("Identity", "agent-7").AddForm("Attributes", "{\"role\":\"agent\"}")),
        new("participant.create.sms", c => Post($"/v1/Conversations/{c.ConversationSid}/Participants")
            .AddForm("MessagingBinding.Address", SmsUser).AddForm("MessagingBinding.ProxyAddress", SmsSender)),
        new("participant.create.whatsapp", c => Post($"/v1/Conversations/{c.ConversationSid}/Participants")
            .AddForm("MessagingBinding.Address", WhatsAppUser).AddForm("MessagingBinding.ProxyAddress", WhatsAppSender)),
        new("participantConversations.address", _ => Get("/v1/ParticipantConversations").AddQuery("Address", SmsUser)),
        new("participantConversations.identity", _ => Get("/v1/ParticipantConversations").AddQuery("Identity", "agent-7").AddQuery("PageSize", "50")),
        new("participant.list", c => Get($"/v1/Conversations/{c.ConversationSid}/Participants").AddQuery("PageSize", "50")),
        new("message.create.body", c => Post($"/v1/Conversations/{c.ConversationSid}/Messages")
            .AddForm("Author", "agent-7").AddForm("Body", "Hi, how can we help?").AddForm("Attributes", "{\"ticket\":10492}")),
        new("message.create.bodyOnly", c => Post($"/v1/Conversations/{c.ConversationSid}/Messages").AddForm("Body", "Hi")),
        new("message.create.media", c => Post($"/v1/Conversations/{c.ConversationSid}/Messages").AddForm("Author", "agent-7").AddForm("MediaSid", "ME22222222222222222222222222222222")),
        new("message.create.content", c => Post($"/v1/Conversations/{c.ConversationSid}/Messages")
            .AddForm("ContentSid", c.ContentSid).AddForm("ContentVariables", "{\"1\":\"Ada\"}")),
        new("message.list.asc", c => Get($"/v1/Conversations/{c.ConversationSid}/Messages").AddQuery("Order", "asc").AddQuery("PageSize", "50")),
        new("message.list.desc", c => Get($"/v1/Conversations/{c.ConversationSid}/Messages").AddQuery("Order", "desc")),
    ];

    public static IReadOnlyList<RequestShape> Messaging { get; } =
    [
        new("sms.create.from", c => PostMessage(c).AddForm("To", SmsUser).AddForm("From", SmsSender).AddForm("Body", "Your code is 123456")),
        new("sms.create.service.callback", c => PostMessage(c).AddForm("To", SmsUser).AddForm("MessagingServiceSid", MessagingServiceSid)
            .AddForm("Body", "Hi").AddForm("StatusCallback", "https://example.com/twilio/status?tenant=acme")),
        new("sms.create.options", c => PostMessage(c).AddForm("To", SmsUser).AddForm("MessagingServiceSid", MessagingServiceSid).AddForm("Body", "Hi")
            .AddForm("ValidityPeriod", 600L).AddForm("ProvideFeedback", true).AddForm("ShortenUrls", false).AddForm("SmartEncoded", true)),
        new("sms.create.scheduled", c => PostMessage(c).AddForm("To", SmsUser).AddForm("MessagingServiceSid", MessagingServiceSid).AddForm("Body", "Reminder")
            .AddForm("ScheduleType", "fixed").AddForm("SendAt", new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero))),
        new("mms.create.one", c => PostMessage(c).AddForm("To", SmsUser).AddForm("From", SmsSender).AddFormValues("MediaUrl", ["https://example.com/a.jpg"])),
        new("mms.create.two", c => PostMessage(c).AddForm("To", SmsUser).AddForm("From", SmsSender).AddForm("Body", "Photos")
            .AddFormValues("MediaUrl", ["https://example.com/a.jpg", "https://example.com/b.png"])),
        new("whatsapp.create.session", c => PostMessage(c).AddForm("To", WhatsAppUser).AddForm("From", WhatsAppSender).AddForm("Body", "Thanks for writing")
            .AddForm("StatusCallback", "https://example.com/twilio/status")),
        new("whatsapp.create.template", c => PostMessage(c).AddForm("To", WhatsAppUser).AddForm("From", WhatsAppSender)
            .AddForm("ContentSid", c.ContentSid).AddForm("ContentVariables", "{\"1\":\"Ada\",\"2\":\"10492\"}")),
        new("whatsapp.create.template.service", c => PostMessage(c).AddForm("To", WhatsAppUser).AddForm("MessagingServiceSid", MessagingServiceSid)
            .AddForm("ContentSid", c.ContentSid)),
        new("message.fetch", c => Get(TwilioProduct.Api, $"/2010-04-01/Accounts/{c.AccountSid}/Messages/{c.MessageSid}.json")),
        new("message.list.to", c => Get(TwilioProduct.Api, $"/2010-04-01/Accounts/{c.AccountSid}/Messages.json").AddQuery("To", SmsUser).AddQuery("PageSize", "20")),
    ];

    /// <summary>Requests Twilio's contract refuses; both Prism and the emulator must reject them.</summary>
    public static IReadOnlyList<RequestShape> Invalid { get; } =
    [
        new("invalid.participant.misspeltAddress", c => Post($"/v1/Conversations/{c.ConversationSid}/Participants")
            .AddForm("MessagingBinding.Adress", SmsUser).AddForm("MessagingBinding.ProxyAddress", SmsSender), IsValid: false),
        new("invalid.conversation.lowerCaseField", c => Post("/v1/Conversations").AddForm("uniqueName", c.FreshUniqueName), IsValid: false),
        new("invalid.conversation.state", _ => Post("/v1/Conversations").AddForm("State", "open"), IsValid: false),
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
    ];

    public static IEnumerable<RequestShape> All => Conversations.Concat(Messaging).Concat(Invalid);

    public static RequestShape Find(string name) => All.Single(s => s.Name == name);

    private static TwilioRequest Post(string path) => new(HttpMethod.Post, TwilioProduct.Conversations, path);

    private static TwilioRequest Get(string path) => new(HttpMethod.Get, TwilioProduct.Conversations, path);

    private static TwilioRequest Get(TwilioProduct product, string path) => new(HttpMethod.Get, product, path);

    private static TwilioRequest PostMessage(ShapeContext c) => new(HttpMethod.Post, TwilioProduct.Api, $"/2010-04-01/Accounts/{c.AccountSid}/Messages.json");
}
