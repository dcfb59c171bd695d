namespace OmniChannel.Messaging.AspNetCore;

/// <summary>
/// Represents the settings of the webhook receiver: how the public URL is rebuilt for signature checks, which auth
/// tokens sign, limits, the background queue and the built-in keyword replies.
/// </summary>
public sealed class TwilioWebhookOptions
{
    /// <summary>
    /// Gets or sets the public URL of the app's root as Twilio calls it (scheme, host, port if any, and a path prefix a
    /// proxy strips), for example <c>https://hooks.example.com</c>. The path and query the app received are appended.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the URL is rebuilt from the request (and forwarded headers when trusted).</value>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether <c>X-Forwarded-Proto</c>, <c>X-Forwarded-Host</c> and
    /// <c>X-Forwarded-Prefix</c> are used to rebuild the URL. Turn it on only behind a proxy that overwrites them.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool TrustForwardedHeaders { get; set; }

    /// <summary>
    /// Gets the auth tokens accepted for any account, the current primary first; keep the previous token here during a
    /// rotation. The auth token of every account registered with <c>AddWebhooks</c> is added to these.
    /// </summary>
    public IList<string> AuthTokens { get; } = [];

    /// <summary>
    /// Gets the auth tokens per account SID, for apps receiving webhooks of several accounts: a request is checked with
    /// the tokens of the <c>AccountSid</c> in its payload, and with every token only when the payload names no known account.
    /// </summary>
    public IDictionary<string, IList<string>> AccountAuthTokens { get; } = new Dictionary<string, IList<string>>(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets a value indicating whether requests without a valid signature are accepted. Development only: the
    /// options fail validation at start in any other environment.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AllowUnsigned { get; set; }

    /// <summary>Gets or sets the largest request body accepted, in bytes; a larger one is answered 413.</summary>
    /// <value>The default value is 65536 (64 KB).</value>
    public int MaxBodySize { get; set; } = 64 * 1024;

    /// <summary>Gets or sets the number of webhooks that may wait or run in the background; beyond it requests are answered 503.</summary>
    /// <value>The default value is 10000.</value>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>
    /// Gets or sets the number of webhooks processed at once. Webhooks of one conversation (or one sender, or one
    /// message for status callbacks) are processed one at a time, in arrival order.
    /// </summary>
    /// <value>The default value is 8.</value>
    public int WorkerConcurrency { get; set; } = 8;

    /// <summary>Gets or sets the number of times a failing handler is retried before the webhook is given up (logged and counted).</summary>
    /// <value>The default value is 3.</value>
    public int HandlerRetryCount { get; set; } = 3;

    /// <summary>Gets or sets the delay before the first handler retry; each later one doubles.</summary>
    /// <value>The default value is 200 milliseconds.</value>
    public TimeSpan HandlerRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets or sets how long a delivery's dedupe key is remembered.</summary>
    /// <value>The default value is 24 hours.</value>
    public TimeSpan DedupeTimeToLive { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets the <c>Retry-After</c> sent with a 503 when the queue is full.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how long a claim on a webhook in a shared outbox (<see cref="IWebhookOutbox"/>) holds before another
    /// worker may take it over. A running instance extends the leases it holds every third of this, however long its
    /// handlers take, so the lease only runs out for an instance that died: it is how long such a webhook waits.
    /// </summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan OutboxLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets how often an idle worker looks in the outbox for webhooks that other instances accepted or that a
    /// dead worker left behind. Webhooks this instance accepts are picked up at once, whatever the interval.
    /// </summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets how many times one webhook may be claimed from the outbox. A webhook whose workers keep dying
    /// before they complete it (it crashes the process, say) is removed after this many claims, with an error log.
    /// </summary>
    /// <value>The default value is 5.</value>
    public int OutboxMaxAttempts { get; set; } = 5;

    /// <summary>Gets or sets the route, under the mapped prefix, of inbound messages (a number's or Messaging Service's webhook).</summary>
    /// <value>The default value is <c>messages</c>.</value>
    public string InboundMessageRoute { get; set; } = "messages";

    /// <summary>Gets or sets the route, under the mapped prefix, of message status callbacks.</summary>
    /// <value>The default value is <c>status</c>.</value>
    public string StatusCallbackRoute { get; set; } = "status";

    /// <summary>Gets or sets the route, under the mapped prefix, of Conversations post-event webhooks.</summary>
    /// <value>The default value is <c>conversations</c>.</value>
    public string ConversationEventRoute { get; set; } = "conversations";

    /// <summary>
    /// Gets or sets the SMS reply (TwiML) to an opt-out keyword. Leave it unset when Twilio's own opt-out reply is on
    /// (the default for long codes and toll-free numbers), or the user gets two replies.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no reply.</value>
    public string? OptOutReply { get; set; }

    /// <summary>Gets or sets the SMS reply (TwiML) to an opt-in keyword.</summary>
    /// <value>The default value is <see langword="null"/>: no reply.</value>
    public string? OptInReply { get; set; }

    /// <summary>Gets or sets the SMS reply (TwiML) to a help keyword.</summary>
    /// <value>The default value is <see langword="null"/>: no reply.</value>
    public string? HelpReply { get; set; }
}
