using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Conversations;
using OmniChannel.Messaging.Sms;
using OmniChannel.Messaging.WhatsApp;

namespace OmniChannel.Messaging.Testing.Tests.Conformance;

/// <summary>Where the Conversations client of a scenario sends its requests.</summary>
internal enum ConversationsScope
{
    /// <summary>The account's default service: <c>/v1/Conversations…</c>.</summary>
    Default,

    /// <summary>A named service: <c>/v1/Services/{IS}/Conversations…</c> (<c>ConversationsOptions.ServiceSid</c>).</summary>
    Service,

    /// <summary>The default service with <c>EnableWebhooks</c>: changes carry <c>X-Twilio-Webhook-Enabled: true</c>.</summary>
    Webhooks,
}

/// <summary>
/// A fresh emulator seeded with what the scenarios refer to, and the real facades, registered through DI
/// (<c>AddOmniChannelMessaging(twilio.ConfigureClient).AddConversations()/AddSms()/AddWhatsApp()</c>), whose HTTP
/// pipelines record every request into <see cref="Sink"/>. Seeding goes around the facades, so it is not recorded.
/// </summary>
internal sealed class ScenarioContext : IAsyncDisposable
{
    public const string SmsSender = "+14155551234";
    public const string SmsUser = "+14155550100";
    public const string WhatsAppSender = "whatsapp:+14155238886";
    public const string WhatsAppUser = "whatsapp:+447700900123";
    public const string MessagingServiceSid = "MG11111111111111111111111111111111";
    public const string SeedIdentity = "seed-agent";
    public const string SeedSmsUser = "+14155550177";

    private readonly List<ServiceProvider> providers = [];
    private readonly InMemoryLastInboundStore lastInbound = new();
    private readonly HttpClient raw;
    private IConversationsClient? conversations;
    private InboundConversationRouter? router;

    private ScenarioContext(TwilioEmulator twilio, ConversationsScope scope, string serviceSid)
    {
        Twilio = twilio;
        Scope = scope;
        ServiceSid = serviceSid;
        raw = EmulatorClient.Raw(twilio);
    }

    public TwilioEmulator Twilio { get; }

    public ExchangeSink Sink { get; } = new();

    public ConversationsScope Scope { get; }

    /// <summary>Gets the Conversations service the scenario's client works in.</summary>
    public string ServiceSid { get; }

    public string UniqueName { get; private set; } = "t_acme_seed";

    public string ConversationSid { get; private set; } = string.Empty;

    /// <summary>Gets a second conversation in the service, holding <see cref="SeedSmsUser"/> via <see cref="SmsSender"/>.</summary>
    public string OtherConversationSid { get; private set; } = string.Empty;

    public string ChatParticipantSid { get; private set; } = string.Empty;

    public string SmsParticipantSid { get; private set; } = string.Empty;

    public string ConversationMessageSid { get; private set; } = string.Empty;

    public string SmsMessageSid { get; private set; } = string.Empty;

    public string ContentSid { get; private set; } = string.Empty;

    public InboundConversationRouter Router => router ??= new InboundConversationRouter(Conversations, PhoneNumberNormalizer.Default);

    public IConversationsClient Conversations => conversations ??= Build(b => b.AddConversations(o =>
    {
        o.ServiceSid = Scope == ConversationsScope.Service ? ServiceSid : null;
        o.EnableWebhooks = Scope == ConversationsScope.Webhooks;
        o.UniqueNameCacheDuration = TimeSpan.Zero;
        o.ParticipantCacheDuration = TimeSpan.Zero;
    })).GetRequiredService<IConversationsClient>();

    public ISmsClient Sms => SmsWith(null);

    public IWhatsAppClient WhatsApp => WhatsAppWith(null);

    private string ConversationsPath => Scope == ConversationsScope.Service ? $"/v1/Services/{ServiceSid}/Conversations" : "/v1/Conversations";

    public static async Task<ScenarioContext> StartAsync(ConversationsScope scope, bool synchronousChannelErrors)
    {
        var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { ChannelErrorsAreSynchronous = synchronousChannelErrors });
        var context = new ScenarioContext(twilio, scope, scope == ConversationsScope.Service ? twilio.AddChatService() : twilio.ChatServiceSid);
        await context.SeedAsync();
        return context;
    }

    /// <summary>Builds an SMS client sending from <see cref="SmsSender"/>, with more settings when given.</summary>
    public ISmsClient SmsWith(Action<SmsOptions>? configure) => Build(b => b.AddSms(o =>
    {
        o.From = SmsSender;
        configure?.Invoke(o);
    })).GetRequiredService<ISmsClient>();

    /// <summary>Builds a WhatsApp client sending from <see cref="WhatsAppSender"/>, with more settings when given.</summary>
    public IWhatsAppClient WhatsAppWith(Action<WhatsAppOptions>? configure) => Build(b => b.AddWhatsApp(o =>
    {
        o.From = WhatsAppSender;
        configure?.Invoke(o);
    })).GetRequiredService<IWhatsAppClient>();

    /// <summary>The WhatsApp user writes in: Twilio (the emulator) and the app's last-inbound store both see it.</summary>
    public async Task UserWritesAsync(bool twilioSeesIt = true, bool appSeesIt = true)
    {
        if (twilioSeesIt)
        {
            Twilio.RecordInbound(WhatsAppUser, WhatsAppSender);
            Twilio.RecordInbound(WhatsAppUser, MessagingServiceSid);
        }

        if (appSeesIt)
        {
            await lastInbound.RecordInboundAsync(WhatsAppSender, WhatsAppUser, TimeProvider.System.GetUtcNow());
        }
    }

    /// <summary>Adds conversations so that a list spans more than one page.</summary>
    public async Task SeedConversationsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await PostOkAsync(ConversationsPath, ("FriendlyName", $"seed {i}"));
        }
    }

    public async Task SeedParticipantsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await PostOkAsync($"{ConversationsPath}/{ConversationSid}/Participants", ("Identity", $"seed-{i}"));
        }
    }

    public async Task SeedMessagesAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await PostOkAsync($"{ConversationsPath}/{ConversationSid}/Messages", ("Body", $"seed {i}"));
        }
    }

    /// <summary>Enumerates a list to the end (following every next page) and checks it held at least <paramref name="minimum"/> items.</summary>
    public static async Task ReadAllAsync<T>(IAsyncEnumerable<T> items, int minimum = 1)
    {
        var count = 0;
        await foreach (var _ in items)
        {
            count++;
        }

        Assert.True(count >= minimum, $"The list returned {count} items; the scenario expected at least {minimum}.");
    }

    /// <summary>Checks that a send went out (Twilio created the message).</summary>
    public static void Accepted(MessageSendResult result) =>
        Assert.True(result.Outcome == MessageSendOutcome.Accepted && result.MessageSid is not null, $"The send was not accepted: {result.Outcome} {result.ErrorCode} {result.ErrorMessage}");

    public static void Accepted(IReadOnlyList<MessageSendResult> results)
    {
        Assert.NotEmpty(results);
        foreach (var result in results)
        {
            Accepted(result);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in providers)
        {
            await provider.DisposeAsync();
        }

        raw.Dispose();
        await Twilio.DisposeAsync();
    }

    private ServiceProvider Build(Action<OmniChannelMessagingBuilder> add)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILastInboundStore>(lastInbound);
        var builder = services.AddOmniChannelMessaging(o =>
            {
                Twilio.ConfigureClient(o);
                o.Retry.MaxAttempts = 1;
                o.CircuitBreaker.Enabled = false;
            })
            .ConfigureHttpClient(b => b.AddHttpMessageHandler(() => new RecordingHandler(Sink)));
        add(builder);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        providers.Add(provider);
        return provider;
    }

    private async Task SeedAsync()
    {
        ConversationSid = await PostOkAsync(ConversationsPath, ("UniqueName", UniqueName), ("FriendlyName", "Seed case"));
        ChatParticipantSid = await PostOkAsync($"{ConversationsPath}/{ConversationSid}/Participants", ("Identity", SeedIdentity));
        SmsParticipantSid = await PostOkAsync($"{ConversationsPath}/{ConversationSid}/Participants", ("MessagingBinding.Address", SmsUser), ("MessagingBinding.ProxyAddress", SmsSender));
        ConversationMessageSid = await PostOkAsync($"{ConversationsPath}/{ConversationSid}/Messages", ("Author", SeedIdentity), ("Body", "seed"));
        OtherConversationSid = await PostOkAsync(ConversationsPath, ("UniqueName", "t_acme_other"));
        await PostOkAsync($"{ConversationsPath}/{OtherConversationSid}/Participants", ("MessagingBinding.Address", SeedSmsUser), ("MessagingBinding.ProxyAddress", SmsSender));
        SmsMessageSid = await PostOkAsync($"/2010-04-01/Accounts/{Twilio.AccountSid}/Messages.json", ("To", SmsUser), ("From", SmsSender), ("Body", "seed"));
        ContentSid = Twilio.AddContentTemplate("Hello {{1}}");
    }

    private async Task<string> PostOkAsync(string path, params (string Key, string Value)[] form)
    {
        var (status, body) = await raw.PostAsync(path, form);
        Assert.True((int)status == 201, $"Seeding {path} failed: {(int)status} {body}");
        return body.Str("sid");
    }
}
