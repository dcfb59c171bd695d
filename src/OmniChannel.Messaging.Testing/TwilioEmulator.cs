using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Testing.Internal;

namespace OmniChannel.Messaging.Testing;

/// <summary>
/// Provides an in-process fake of the Twilio endpoints OmniChannel.Messaging uses (Conversations v1 and Programmable
/// Messaging 2010-04-01), served by Kestrel on 127.0.0.1 with Twilio's wire format and semantics: unique names and 409s,
/// paging, opt-outs, the WhatsApp 24-hour window, rate limits, fault injection, a request log and signed callbacks.
/// </summary>
/// <example>
/// <code>
/// await using var twilio = await TwilioEmulator.StartAsync();
/// services.AddOmniChannelMessaging(twilio.ConfigureClient);
/// </code>
/// </example>
public sealed class TwilioEmulator : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly EmulatorEngine engine;
    private readonly TwilioEmulatorOptions options;
    private readonly HttpClient callbackClient;
    private readonly string[] webhookInstances;
    private readonly int deliveriesPerWebhook;
    private readonly object faultGate = new();
    private readonly List<FaultRule> faults = [];
    private readonly object logGate = new();
    private readonly List<RecordedRequest> log = [];
    private readonly object echoGate = new();
    private readonly List<TwilioCallbackDelivery> echoed = [];
    private readonly List<Task> echoesInFlight = [];
    private long rateSecond = long.MinValue;
    private int rateCount;
    private int nextInstance = -1;

    private TwilioEmulator(WebApplication app, EmulatorEngine engine, TwilioEmulatorOptions options, string[] webhookInstances)
    {
        this.app = app;
        this.engine = engine;
        this.options = options;
        this.webhookInstances = webhookInstances;
        deliveriesPerWebhook = options.DeliveriesPerWebhook;
        RequestsPerSecond = options.RequestsPerSecond;
        callbackClient = options.CallbackHandler is { } handler ? new HttpClient(handler, disposeHandler: false) : new HttpClient();
        callbackClient.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "TwilioProxy/1.1");
    }

    /// <summary>Gets the base URL the emulator listens on, for example <c>http://127.0.0.1:50123/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Gets the emulated account's SID.</summary>
    public string AccountSid => engine.AccountSid;

    /// <summary>Gets the emulated account's auth token (it authenticates requests and signs callbacks).</summary>
    public string AuthToken => engine.AuthToken;

    /// <summary>Gets the SID of the account's default Conversations service, the one <c>/v1/Conversations</c> acts on.</summary>
    public string ChatServiceSid => engine.DefaultServiceSid;

    /// <summary>Gets or sets the number of REST requests per second above which the emulator answers 429 with code 20429.</summary>
    /// <value><see langword="null"/> for no limit.</value>
    public int? RequestsPerSecond { get; set; }

    /// <summary>Gets the requests received so far, in arrival order, faulted and rejected ones included.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (logGate)
            {
                return log.ToArray();
            }
        }
    }

    /// <summary>Starts an emulator on 127.0.0.1 on a free port.</summary>
    /// <param name="options">The settings; <see langword="null"/> uses the defaults (random credentials, system clock).</param>
    /// <param name="cancellationToken">The token to cancel the start with.</param>
    /// <returns>The running emulator; dispose it to stop it.</returns>
    /// <exception cref="ArgumentException">
    /// <see cref="TwilioEmulatorOptions.AccountSid"/> is not a valid AC SID, or an entry of
    /// <see cref="TwilioEmulatorOptions.WebhookInstances"/> is not an absolute http or https URL without query or fragment.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <see cref="TwilioEmulatorOptions.DeliveriesPerWebhook"/> is less than 1, or <see cref="TwilioEmulatorOptions.PricePerSegment"/> is negative.
    /// </exception>
    public static async Task<TwilioEmulator> StartAsync(TwilioEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TwilioEmulatorOptions();
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        if (options.DeliveriesPerWebhook < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.DeliveriesPerWebhook, "TwilioEmulatorOptions.DeliveriesPerWebhook must be at least 1.");
        }

        var webhookInstances = new string[options.WebhookInstances.Count];
        for (var i = 0; i < webhookInstances.Length; i++)
        {
            webhookInstances[i] = InstanceBase(options.WebhookInstances[i])
                ?? throw new ArgumentException(
                    $"TwilioEmulatorOptions.WebhookInstances must hold absolute http or https URLs without query or fragment; got '{options.WebhookInstances[i]?.OriginalString}'.",
                    nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.PricePerSegment, nameof(options));
        var accountSid = options.AccountSid ?? Sids.New("AC");
        TwilioSid.ThrowIfInvalid(accountSid, "AC");
        var authToken = options.AuthToken ?? Sids.NewToken();
        ArgumentException.ThrowIfNullOrWhiteSpace(authToken, nameof(options));

        // An empty builder: no appsettings.json (with its file watcher: many emulators started at once would exhaust the
        // inotify instances), no ASPNETCORE_* variables that could move the emulator off its loopback address or add
        // Kestrel endpoints, no logging.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var engine = new EmulatorEngine(accountSid, authToken, Sids.New("IS"), options.TimeProvider, options.ChannelErrorsAreSynchronous)
        {
            PricePerSegment = options.PricePerSegment,
        };
        var emulator = new TwilioEmulator(app, engine, options, webhookInstances);
        app.Run(emulator.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        engine.BaseUrl = address.TrimEnd('/');
        return emulator;
    }

    /// <summary>
    /// Points an OmniChannel.Messaging account at the emulator: its credentials, both base URLs, and no environment
    /// variables. Use it as <c>services.AddOmniChannelMessaging(twilio.ConfigureClient)</c>.
    /// </summary>
    /// <param name="options">The options to set.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public void ConfigureClient(OmniChannelMessagingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AccountSid = AccountSid;
        options.AuthToken = AuthToken;
        options.ApiKeySid = null;
        options.ApiKeySecret = null;
        options.ApiBaseUrl = BaseUrl;
        options.ConversationsBaseUrl = BaseUrl;
        options.UseEnvironmentVariables = false;
    }

    /// <summary>Adds an API key the emulator accepts for Basic authentication, alongside the account SID and auth token.</summary>
    /// <param name="apiKeySid">The key's SID (<c>SK</c> followed by 32 hexadecimal characters).</param>
    /// <param name="secret">The key's secret.</param>
    /// <exception cref="ArgumentException"><paramref name="apiKeySid"/> is not an SK SID or <paramref name="secret"/> is empty.</exception>
    public void AddApiKey(string apiKeySid, string secret)
    {
        TwilioSid.ThrowIfInvalid(apiKeySid, "SK");
        ArgumentException.ThrowIfNullOrEmpty(secret);
        engine.AddApiKey(apiKeySid, secret);
    }

    /// <summary>Creates another Conversations service, reachable under <c>/v1/Services/{ChatServiceSid}/</c> with its own state.</summary>
    /// <returns>The new service's SID (<c>IS…</c>).</returns>
    public string AddChatService() => engine.AddChatService();

    /// <summary>
    /// Registers a Content template so that sends with its <c>ContentSid</c> are accepted; unknown ones get 400 with code
    /// 21655, a documented stand-in (Twilio's own code for an unknown ContentSid is not confirmed).
    /// </summary>
    /// <param name="body">The text the template renders to, shown as the message body.</param>
    /// <param name="contentSid">The template's SID (<c>HX…</c>); <see langword="null"/> generates one.</param>
    /// <returns>The template's SID.</returns>
    public string AddContentTemplate(string? body = null, string? contentSid = null)
    {
        contentSid ??= Sids.New("HX");
        TwilioSid.ThrowIfInvalid(contentSid, "HX");
        engine.AddContentTemplate(contentSid, body);
        return contentSid;
    }

    /// <summary>Records that a recipient opted out (replied STOP) of a sender scope; later sends get 400 with code 21610.</summary>
    /// <param name="sender">The scope: the sender address (<c>+1…</c>, <c>whatsapp:+1…</c>) or a Messaging Service SID (<c>MG…</c>).</param>
    /// <param name="recipient">The recipient address, as sent in <c>To</c>.</param>
    public void OptOut(string sender, string recipient)
    {
        ArgumentException.ThrowIfNullOrEmpty(sender);
        ArgumentException.ThrowIfNullOrEmpty(recipient);
        engine.SetOptOut(sender, recipient, true);
    }

    /// <summary>Records that a recipient opted back in (replied START) to a sender scope.</summary>
    /// <param name="sender">The sender address or Messaging Service SID.</param>
    /// <param name="recipient">The recipient address.</param>
    public void OptIn(string sender, string recipient)
    {
        ArgumentException.ThrowIfNullOrEmpty(sender);
        ArgumentException.ThrowIfNullOrEmpty(recipient);
        engine.SetOptOut(sender, recipient, false);
    }

    /// <summary>Determines whether a recipient is opted out of a sender scope.</summary>
    /// <param name="sender">The sender address or Messaging Service SID.</param>
    /// <param name="recipient">The recipient address.</param>
    /// <returns><see langword="true"/> when sends from the scope to the recipient are refused with 21610.</returns>
    public bool IsOptedOut(string sender, string recipient) => engine.IsOptedOut(sender, recipient);

    /// <summary>
    /// Records an inbound message from a user to a sender at the emulator's current time, without delivering it; it opens
    /// the WhatsApp 24-hour window for free-form sends from that sender to that user.
    /// </summary>
    /// <param name="from">The user's address, for example <c>whatsapp:+447700900123</c>.</param>
    /// <param name="to">The sender address or Messaging Service SID the user wrote to.</param>
    public void RecordInbound(string from, string to)
    {
        ArgumentException.ThrowIfNullOrEmpty(from);
        ArgumentException.ThrowIfNullOrEmpty(to);
        engine.RecordInbound(to, from);
    }

    /// <summary>Sets the messages per second a sender may send; above it, messages fail with code 63018.</summary>
    /// <param name="sender">The sender address or Messaging Service SID.</param>
    /// <param name="messagesPerSecond">The limit; <see langword="null"/> removes it.</param>
    public void SetSenderRate(string sender, int? messagesPerSecond)
    {
        ArgumentException.ThrowIfNullOrEmpty(sender);
        if (messagesPerSecond is { } rate)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(rate, 1, nameof(messagesPerSecond));
        }

        engine.SetSenderRate(sender, messagesPerSecond);
    }

    /// <summary>
    /// Scripts a fault for the next matching requests. Faults apply before authentication and in registration order.
    /// </summary>
    /// <param name="method">The HTTP method to match, or <c>*</c> for any.</param>
    /// <param name="pathPattern">The path to match: <c>*</c> matches within one segment, <c>**</c> across segments; for example <c>/v1/Conversations/*/Messages</c>.</param>
    /// <param name="fault">The fault.</param>
    /// <param name="count">How many requests it applies to.</param>
    public void InjectFault(string method, string pathPattern, EmulatedFault fault, int count = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(pathPattern);
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var regex = "^" + Regex.Escape(pathPattern).Replace(@"\*\*", ".*", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "$";
        lock (faultGate)
        {
            faults.Add(new FaultRule(method, new Regex(regex, RegexOptions.CultureInvariant), fault, count));
        }
    }

    /// <summary>Removes every scripted fault not yet used.</summary>
    public void ClearFaults()
    {
        lock (faultGate)
        {
            faults.Clear();
        }
    }

    /// <summary>Empties the request log.</summary>
    public void ClearRequests()
    {
        lock (logGate)
        {
            log.Clear();
        }
    }

    /// <summary>
    /// Gets the Conversations post-event webhooks the emulator delivered by itself (after REST calls made with
    /// <c>X-Twilio-Webhook-Enabled: true</c>, when <see cref="TwilioEmulatorOptions.ConversationsWebhookUrl"/> is set),
    /// in the order they completed. An echo the receiver could not be reached for is not listed.
    /// </summary>
    public IReadOnlyList<TwilioCallbackDelivery> EchoedWebhooks
    {
        get
        {
            lock (echoGate)
            {
                return [.. echoed];
            }
        }
    }

    /// <summary>Waits until every webhook echo started so far has been delivered (echoes go out after the REST response).</summary>
    /// <param name="cancellationToken">The token to stop waiting with.</param>
    /// <returns>A task that completes when no echo is in flight.</returns>
    public async Task WhenEchoesDeliveredAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task[] pending;
            lock (echoGate)
            {
                echoesInFlight.RemoveAll(t => t.IsCompleted);
                pending = [.. echoesInFlight];
            }

            if (pending.Length == 0)
            {
                return;
            }

            await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Posts the status callbacks of a message sent with a <c>StatusCallback</c> URL, signed with the auth token, and moves
    /// the message to the last status reported. Each callback goes out as
    /// <see cref="TwilioEmulatorOptions.DeliveriesPerWebhook"/> concurrent copies, to the
    /// <see cref="TwilioEmulatorOptions.WebhookInstances"/> when set.
    /// </summary>
    /// <param name="messageSid">The message's SID (<c>SM…</c> or <c>MM…</c>).</param>
    /// <param name="plan">What to report; <see langword="null"/> reports the message's normal progress once, in order.</param>
    /// <param name="cancellationToken">The token to cancel the deliveries with.</param>
    /// <returns>The deliveries, in the order sent.</returns>
    /// <exception cref="ArgumentException">The message is unknown, or was sent without a <c>StatusCallback</c> and <see cref="StatusCallbackPlan.Url"/> is not set.</exception>
    /// <exception cref="HttpRequestException">A copy could not be posted (connection refused or dropped); thrown once every copy of that callback has finished.</exception>
    public async Task<IReadOnlyList<TwilioCallbackDelivery>> SendStatusCallbacksAsync(string messageSid, StatusCallbackPlan? plan = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageSid);
        plan ??= new StatusCallbackPlan();
        var message = engine.FindMessage(messageSid) ?? throw new ArgumentException($"No message '{messageSid}' exists in the emulator.", nameof(messageSid));
        var url = message.StatusCallback ?? plan.Url?.OriginalString
            ?? throw new ArgumentException($"The message '{messageSid}' was sent without a StatusCallback URL and the plan gives no Url.", nameof(messageSid));
        var statuses = plan.Statuses ?? DefaultStatuses(message);
        if (statuses.Count == 0)
        {
            return [];
        }

        var sends = new List<(string Status, string Token)>();
        foreach (var status in statuses)
        {
            var token = Sids.NewToken();
            sends.Add((status, token));
            if (plan.Duplicate)
            {
                sends.Add((status, plan.DuplicatesShareIdempotencyToken ? token : Sids.NewToken()));
            }
        }

        if (plan.Shuffle)
        {
            var random = plan.Seed is { } seed ? new Random(seed) : new Random();
            var array = sends.ToArray();
            random.Shuffle(array);
            sends = [.. array];
        }

        var last = statuses[^1];
        var lastError = last is "failed" or "undelivered" ? ErrorCodeFor(last, plan, message) : (int?)null;
        engine.UpdateMessageStatus(message, last, lastError);
        var deliveries = new List<TwilioCallbackDelivery>();
        foreach (var (status, token) in sends)
        {
            deliveries.Add(await PostAsync(url, StatusParameters(message, status, plan), token, cancellationToken).ConfigureAwait(false));
        }

        return deliveries;
    }

    /// <summary>
    /// Delivers an inbound SMS or WhatsApp message (the form fields Twilio posts to a number's webhook), signed. It opens
    /// the WhatsApp window, and for SMS a body that is exactly an opt-out or opt-in keyword (STOP, START, …) updates the
    /// opt-out list (Twilio's default keyword filtering is SMS-only; opt a WhatsApp user out with <see cref="OptOut"/>).
    /// The webhook goes out as <see cref="TwilioEmulatorOptions.DeliveriesPerWebhook"/> concurrent copies, to the
    /// <see cref="TwilioEmulatorOptions.WebhookInstances"/> when set.
    /// </summary>
    /// <param name="from">The user's address (<c>+1…</c> or <c>whatsapp:+1…</c>).</param>
    /// <param name="to">Your number (<c>+1…</c> or <c>whatsapp:+1…</c>).</param>
    /// <param name="body">The text.</param>
    /// <param name="mediaUrls">Media attached, if any.</param>
    /// <param name="webhookUrl">Where to post; <see langword="null"/> uses <see cref="TwilioEmulatorOptions.WebhookUrl"/>.</param>
    /// <param name="messagingServiceSid">The Messaging Service your number belongs to, if any; opt-outs then apply to the service.</param>
    /// <param name="cancellationToken">The token to cancel the delivery with.</param>
    /// <returns>The delivery.</returns>
    /// <exception cref="HttpRequestException">A copy could not be posted (connection refused or dropped); thrown once every copy has finished.</exception>
    public async Task<TwilioCallbackDelivery> DeliverInboundMessageAsync(
        string from,
        string to,
        string body,
        IReadOnlyList<Uri>? mediaUrls = null,
        Uri? webhookUrl = null,
        string? messagingServiceSid = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(from);
        ArgumentException.ThrowIfNullOrEmpty(to);
        ArgumentNullException.ThrowIfNull(body);
        var url = WebhookFor(webhookUrl, options.WebhookUrl);
        var media = (mediaUrls ?? []).Select(u => u.OriginalString).ToList();
        var record = engine.AddInbound(from, to, body, media, messagingServiceSid);

        // Twilio's default STOP/START filtering is an SMS feature; WhatsApp opt-outs come only from Advanced Opt-Out on a
        // Messaging Service, which the emulator leaves to the test (twilio.OptOut).
        if (!from.StartsWith("whatsapp:", StringComparison.Ordinal))
        {
            engine.ApplyKeywords(messagingServiceSid ?? to, from, body);
        }
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("ToCountry", "US"),
            new("SmsMessageSid", record.Sid),
            new("NumMedia", media.Count.ToString(CultureInfo.InvariantCulture)),
            new("SmsSid", record.Sid),
            new("SmsStatus", "received"),
            new("Body", body),
            new("FromCountry", "US"),
            new("To", to),
            new("NumSegments", record.NumSegments.ToString(CultureInfo.InvariantCulture)),
            new("MessageSid", record.Sid),
            new("AccountSid", AccountSid),
            new("From", from),
            new("ApiVersion", "2010-04-01"),
        };
        if (messagingServiceSid is not null)
        {
            parameters.Add(new("MessagingServiceSid", messagingServiceSid));
        }

        for (var i = 0; i < media.Count; i++)
        {
            parameters.Add(new($"MediaUrl{i}", media[i]));
            parameters.Add(new($"MediaContentType{i}", "image/jpeg"));
        }

        if (from.StartsWith("whatsapp:", StringComparison.Ordinal))
        {
            parameters.Add(new("WaId", from["whatsapp:+".Length..]));
            parameters.Add(new("ProfileName", "Emulated User"));
            parameters.Add(new("MessageType", media.Count > 0 ? "image" : "text"));
            parameters.Add(new("ReferralNumMedia", "0"));
        }

        return await PostAsync(url, parameters, Sids.NewToken(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Delivers the Conversations <c>onMessageAdded</c> post-event webhook for a message, signed.</summary>
    /// <param name="conversationSid">The conversation's SID or unique name.</param>
    /// <param name="messageSid">The message's SID (<c>IM…</c>).</param>
    /// <param name="webhookUrl">Where to post; <see langword="null"/> uses <see cref="TwilioEmulatorOptions.ConversationsWebhookUrl"/>.</param>
    /// <param name="cancellationToken">The token to cancel the delivery with.</param>
    /// <returns>The delivery.</returns>
    /// <exception cref="ArgumentException">The conversation or message is unknown.</exception>
    /// <exception cref="HttpRequestException">A copy could not be posted (connection refused or dropped); thrown once every copy has finished.</exception>
    public Task<TwilioCallbackDelivery> DeliverMessageAddedAsync(string conversationSid, string messageSid, Uri? webhookUrl = null, CancellationToken cancellationToken = default) =>
        DeliverEventAsync(() => engine.MessageAddedParameters(conversationSid, messageSid), webhookUrl, cancellationToken);

    /// <summary>Delivers the Conversations <c>onParticipantAdded</c> post-event webhook for a participant, signed.</summary>
    /// <param name="conversationSid">The conversation's SID or unique name.</param>
    /// <param name="participantSid">The participant's SID (<c>MB…</c>) or identity.</param>
    /// <param name="webhookUrl">Where to post; <see langword="null"/> uses <see cref="TwilioEmulatorOptions.ConversationsWebhookUrl"/>.</param>
    /// <param name="cancellationToken">The token to cancel the delivery with.</param>
    /// <returns>The delivery.</returns>
    /// <exception cref="ArgumentException">The conversation or participant is unknown.</exception>
    /// <exception cref="HttpRequestException">A copy could not be posted (connection refused or dropped); thrown once every copy has finished.</exception>
    public Task<TwilioCallbackDelivery> DeliverParticipantAddedAsync(string conversationSid, string participantSid, Uri? webhookUrl = null, CancellationToken cancellationToken = default) =>
        DeliverEventAsync(() => engine.ParticipantAddedParameters(conversationSid, participantSid), webhookUrl, cancellationToken);

    /// <summary>Delivers the Conversations <c>onDeliveryUpdated</c> post-event webhook (a delivery receipt), signed.</summary>
    /// <param name="conversationSid">The conversation's SID or unique name.</param>
    /// <param name="messageSid">The message's SID (<c>IM…</c>).</param>
    /// <param name="participantSid">The receiving participant's SID (<c>MB…</c>).</param>
    /// <param name="status">The receipt status: <c>sent</c>, <c>delivered</c>, <c>read</c>, <c>failed</c> or <c>undelivered</c>.</param>
    /// <param name="errorCode">The error code of a failed or undelivered receipt.</param>
    /// <param name="webhookUrl">Where to post; <see langword="null"/> uses <see cref="TwilioEmulatorOptions.ConversationsWebhookUrl"/>.</param>
    /// <param name="cancellationToken">The token to cancel the delivery with.</param>
    /// <returns>The delivery.</returns>
    /// <exception cref="ArgumentException">The conversation, message or participant is unknown.</exception>
    /// <exception cref="HttpRequestException">A copy could not be posted (connection refused or dropped); thrown once every copy has finished.</exception>
    public Task<TwilioCallbackDelivery> DeliverDeliveryUpdatedAsync(
        string conversationSid,
        string messageSid,
        string participantSid,
        string status,
        int? errorCode = null,
        Uri? webhookUrl = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(status);
        return DeliverEventAsync(() => engine.DeliveryUpdatedParameters(conversationSid, messageSid, participantSid, status, errorCode), webhookUrl, cancellationToken);
    }

    /// <summary>Stops the server and releases the callback client.</summary>
    /// <returns>A task that completes when the emulator has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await WhenEchoesDeliveredAsync().ConfigureAwait(false);
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        callbackClient.Dispose();
    }

    // A Messaging Service send starts as accepted, is queued once a sender is picked, then goes through sending; a send
    // from a number starts queued. WhatsApp adds read.
    private static IReadOnlyList<string> DefaultStatuses(MessageRecord message)
    {
        var viaService = message.MessagingServiceSid is not null;
        if (message.Status == "failed")
        {
            return viaService ? ["accepted", "queued", "failed"] : ["queued", "failed"];
        }

        IReadOnlyList<string> progress = viaService ? ["accepted", "queued", "sending", "sent", "delivered"] : ["queued", "sent", "delivered"];
        return message.IsWhatsApp ? [.. progress, "read"] : progress;
    }

    private static int ErrorCodeFor(string status, StatusCallbackPlan plan, MessageRecord message) =>
        plan.ErrorCode ?? message.ErrorCode ?? (status == "undelivered" ? 30003 : 30008);

    private List<KeyValuePair<string, string>> StatusParameters(MessageRecord message, string status, StatusCallbackPlan plan)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("AccountSid", AccountSid),
            new("ApiVersion", "2010-04-01"),
            new("From", message.From),
            new("To", message.To),
            new("MessageSid", message.Sid),
            new("SmsSid", message.Sid),
            new("SmsStatus", status),
            new("MessageStatus", status),
        };
        if (message.MessagingServiceSid is not null)
        {
            parameters.Add(new("MessagingServiceSid", message.MessagingServiceSid));
        }

        if (status is "failed" or "undelivered")
        {
            parameters.Add(new("ErrorCode", ErrorCodeFor(status, plan, message).ToString(CultureInfo.InvariantCulture)));
        }

        if (message.IsWhatsApp)
        {
            parameters.Add(new("ChannelPrefix", "whatsapp"));
            parameters.Add(new("ChannelToAddress", message.To["whatsapp:".Length..]));
        }
        else if (status is "delivered" or "undelivered")
        {
            parameters.Add(new("RawDlrDoneDate", engine.TimeProvider.GetUtcNow().ToUniversalTime().ToString("yyMMddHHmm", CultureInfo.InvariantCulture)));
        }

        return parameters;
    }

    private async Task<TwilioCallbackDelivery> DeliverEventAsync(Func<List<KeyValuePair<string, string>>> build, Uri? webhookUrl, CancellationToken cancellationToken)
    {
        var url = WebhookFor(webhookUrl, options.ConversationsWebhookUrl);
        List<KeyValuePair<string, string>> parameters;
        try
        {
            parameters = build();
        }
        catch (EmulatorError error)
        {
            throw new ArgumentException($"Unknown resource: {error.Message}", error);
        }

        return await PostAsync(url, parameters, Sids.NewToken(), cancellationToken).ConfigureAwait(false);
    }

    private static string WebhookFor(Uri? explicitUrl, Uri? configured) =>
        (explicitUrl ?? configured)?.OriginalString
        ?? throw new InvalidOperationException("No webhook URL: pass one, or set it in TwilioEmulatorOptions.");

    private static string? InstanceBase(Uri? instance)
    {
        if (instance is null || !instance.IsAbsoluteUri || (instance.Scheme != Uri.UriSchemeHttp && instance.Scheme != Uri.UriSchemeHttps)
            || instance.Query.Length > 0 || instance.Fragment.Length > 0)
        {
            return null;
        }

        // The instance's own path (if any) is a prefix; the public URL's path always starts with '/'.
        return instance.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    private string[] Targets(string url)
    {
        var targets = new string[deliveriesPerWebhook];
        if (webhookInstances.Length == 0)
        {
            Array.Fill(targets, url);
            return targets;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var publicUrl))
        {
            throw new InvalidOperationException($"The webhook URL '{url}' is not absolute, so it has no path to post to the WebhookInstances.");
        }

        var start = (uint)Interlocked.Increment(ref nextInstance);
        for (var copy = 0; copy < targets.Length; copy++)
        {
            targets[copy] = webhookInstances[(int)((start + (uint)copy) % (uint)webhookInstances.Length)] + publicUrl.PathAndQuery;
        }

        return targets;
    }

    private async Task<TwilioCallbackDelivery> PostAsync(string url, List<KeyValuePair<string, string>> parameters, string token, CancellationToken cancellationToken)
    {
        var signature = TwilioSignatureValidator.ComputeSignature(AuthToken, url, parameters);
        var targets = Targets(url);

        // Start every copy before awaiting any, so the copies race as Twilio's retry races the original. Task.WhenAll waits
        // for all of them even when one fails, so no copy is still in flight when a failure is rethrown, as for one delivery.
        var copies = new Task<int>[targets.Length];
        for (var i = 0; i < targets.Length; i++)
        {
            copies[i] = PostCopyAsync(targets[i], parameters, signature, token, cancellationToken);
        }

        var statusCodes = await Task.WhenAll(copies).ConfigureAwait(false);
        return new TwilioCallbackDelivery(url, parameters, signature, token, targets, statusCodes);
    }

    private async Task<int> PostCopyAsync(string target, List<KeyValuePair<string, string>> parameters, string signature, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new FormUrlEncodedContent(parameters) };
        request.Headers.TryAddWithoutValidation("X-Twilio-Signature", signature);
        request.Headers.TryAddWithoutValidation("I-Twilio-Idempotency-Token", token);
        using var response = await callbackClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return (int)response.StatusCode;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var body = string.Empty;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            using var reader = new StreamReader(request.Body);
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        var isForm = request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;
        var form = isForm ? FormData.Parse(body) : new FormData([]);
        var queryString = request.QueryString.Value ?? string.Empty;
        var query = FormData.Parse(queryString);
        var path = request.Path.Value ?? "/";
        var headers = request.Headers
            .Where(h => !string.Equals(h.Key, "Authorization", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        lock (logGate)
        {
            log.Add(new RecordedRequest(request.Method, path, queryString, query.Pairs, form.Pairs, headers, engine.TimeProvider.GetUtcNow()));
        }

        var response = context.Response;
        response.Headers["Twilio-Request-Id"] = Sids.New("RQ");
        if (TakeFault(request.Method, path) is { } fault)
        {
            if (fault.Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(fault.Delay, TimeProvider.System, context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            if (fault.DropsConnection)
            {
                context.Abort();
                return;
            }

            if (fault.StatusCode is { } faultStatus)
            {
                if (fault.RetryAfter is { } retryAfter)
                {
                    response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await WriteAsync(context, faultStatus, Json.Error(faultStatus, fault.ErrorCode ?? faultStatus, fault.Message ?? "Error")).ConfigureAwait(false);
                return;
            }
        }

        if (!engine.IsAuthorized(request))
        {
            await WriteAsync(context, 401, Json.Error(401, 20003, "Authenticate")).ConfigureAwait(false);
            return;
        }

        if (!TakeRatePermit())
        {
            // The limit is per second of the emulator's clock, so the next second is the earliest a retry can pass.
            response.Headers.RetryAfter = "1";
            await WriteAsync(context, 429, Json.Error(429, 20429, "Too Many Requests")).ConfigureAwait(false);
            return;
        }

        var result = engine.Handle(request.Method, path, query, form, request.Headers);
        if (EchoFor(request, path, result) is { } echo)
        {
            // Twilio fires the post-event webhook after the REST call has answered.
            context.Response.OnCompleted(() =>
            {
                StartEcho(echo);
                return Task.CompletedTask;
            });
        }

        await WriteAsync(context, result.Status, result.Body).ConfigureAwait(false);
    }

    private Func<List<KeyValuePair<string, string>>>? EchoFor(HttpRequest request, string path, EmulatorResponse result)
    {
        if (options.ConversationsWebhookUrl is null || request.Method != "POST" || result.Status != 201 || result.Body is null
            || !string.Equals(request.Headers["X-Twilio-Webhook-Enabled"].ToString(), "true", StringComparison.Ordinal))
        {
            return null;
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var kind = segments switch
        {
            ["v1", "Conversations", _, var child] => child,
            ["v1", "Services", _, "Conversations", _, var child] => child,
            _ => null,
        };
        if (kind is not ("Messages" or "Participants"))
        {
            return null;
        }

        using var created = System.Text.Json.JsonDocument.Parse(result.Body);
        var sid = created.RootElement.GetProperty("sid").GetString()!;
        var conversationSid = created.RootElement.GetProperty("conversation_sid").GetString()!;
        return kind == "Messages"
            ? () => engine.MessageAddedParameters(conversationSid, sid)
            : () => engine.ParticipantAddedParameters(conversationSid, sid);
    }

    private void StartEcho(Func<List<KeyValuePair<string, string>>> build)
    {
        lock (echoGate)
        {
            echoesInFlight.Add(EchoAsync(build));
        }
    }

    private async Task EchoAsync(Func<List<KeyValuePair<string, string>>> build)
    {
        try
        {
            var delivery = await DeliverEventAsync(build, null, CancellationToken.None).ConfigureAwait(false);
            lock (echoGate)
            {
                echoed.Add(delivery);
            }
        }
        catch (HttpRequestException)
        {
            // The receiver is not listening: Twilio would give up on it too, after its retries.
        }
        catch (ArgumentException)
        {
            // The resource was deleted before the echo went out.
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, byte[]? body)
    {
        context.Response.StatusCode = status;
        if (body is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private EmulatedFault? TakeFault(string method, string path)
    {
        lock (faultGate)
        {
            for (var i = 0; i < faults.Count; i++)
            {
                var rule = faults[i];
                if ((rule.Method == "*" || string.Equals(rule.Method, method, StringComparison.OrdinalIgnoreCase)) && rule.Pattern.IsMatch(path))
                {
                    if (--rule.Remaining == 0)
                    {
                        faults.RemoveAt(i);
                    }

                    return rule.Fault;
                }
            }

            return null;
        }
    }

    private bool TakeRatePermit()
    {
        if (RequestsPerSecond is not { } limit)
        {
            return true;
        }

        var second = engine.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        lock (faultGate)
        {
            if (second != rateSecond)
            {
                rateSecond = second;
                rateCount = 0;
            }

            return ++rateCount <= limit;
        }
    }

    private sealed class FaultRule(string method, Regex pattern, EmulatedFault fault, int remaining)
    {
        public string Method { get; } = method;

        public Regex Pattern { get; } = pattern;

        public EmulatedFault Fault { get; } = fault;

        public int Remaining { get; set; } = remaining;
    }
}
