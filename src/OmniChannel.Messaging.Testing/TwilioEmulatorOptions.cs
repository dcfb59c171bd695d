namespace OmniChannel.Messaging.Testing;

/// <summary>Represents the settings of a <see cref="TwilioEmulator"/>.</summary>
public sealed class TwilioEmulatorOptions
{
    /// <summary>
    /// Gets or sets the clock the emulator reads: resource timestamps, the WhatsApp 24-hour window, the per-second rate limits.
    /// Pass a manual time provider to move the clock from a test.
    /// </summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the account SID the emulator answers for (<c>AC</c> followed by 32 hexadecimal characters).</summary>
    /// <value>The default value is <see langword="null"/>: a new random SID is generated.</value>
    public string? AccountSid { get; set; }

    /// <summary>Gets or sets the account's auth token, used for Basic authentication and to sign callbacks.</summary>
    /// <value>The default value is <see langword="null"/>: a new random token is generated.</value>
    public string? AuthToken { get; set; }

    /// <summary>Gets or sets the URL inbound SMS and WhatsApp messages are delivered to (the phone number's messaging webhook).</summary>
    /// <value>The default value is <see langword="null"/>: pass the URL to each delivery call.</value>
    public Uri? WebhookUrl { get; set; }

    /// <summary>
    /// Gets or sets the URL Conversations post-event webhooks (<c>onMessageAdded</c>, …) are delivered to. When set, the
    /// emulator also delivers them by itself, as Twilio does, after a REST call that adds a message or a participant
    /// with the <c>X-Twilio-Webhook-Enabled: true</c> header (REST calls without it fire no webhook, also as Twilio
    /// does); see <see cref="TwilioEmulator.EchoedWebhooks"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: pass the URL to each delivery call.</value>
    public Uri? ConversationsWebhookUrl { get; set; }

    /// <summary>Gets or sets the number of REST requests per second above which the emulator answers 429 with code 20429.</summary>
    /// <value>The default value is <see langword="null"/>: no limit.</value>
    public int? RequestsPerSecond { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether channel errors that Twilio reports after accepting a message (63016 outside
    /// the WhatsApp window, 63018 channel rate limit) are instead returned at once as an HTTP 400 error answer (never a 429,
    /// which would read as the REST limit 20429).
    /// </summary>
    /// <value>The default value is <see langword="false"/>: the send answers 201 and the message fails afterwards, as with Twilio.</value>
    public bool ChannelErrorsAreSynchronous { get; set; }

    /// <summary>
    /// Gets the base URLs of the app instances behind the public webhook URL, as behind one load balancer. When the list is
    /// not empty, every callback and webhook is still signed for its public URL (the one passed or configured) but is posted
    /// to an instance: the instance's base URL followed by the public URL's path and query, so public
    /// <c>https://example.com/twilio/sms?x=1</c> and instance <c>http://127.0.0.1:5001/</c> give
    /// <c>http://127.0.0.1:5001/twilio/sms?x=1</c>. Each delivery starts at the next instance in turn (round robin).
    /// </summary>
    /// <remarks>
    /// Each entry must be an absolute <c>http</c> or <c>https</c> URL without query or fragment. The list is read once, by
    /// <see cref="TwilioEmulator.StartAsync"/>; later changes have no effect.
    /// </remarks>
    /// <value>The default value is an empty list: callbacks are posted to their public URL.</value>
    public IList<Uri> WebhookInstances { get; } = [];

    /// <summary>
    /// Gets or sets how many copies of each callback and webhook are posted, all at once, as Twilio's retry can race the
    /// original. Every copy carries the same body, <c>X-Twilio-Signature</c> and <c>I-Twilio-Idempotency-Token</c>. With
    /// several <see cref="WebhookInstances"/>, consecutive copies go to consecutive instances.
    /// </summary>
    /// <remarks>Read once, by <see cref="TwilioEmulator.StartAsync"/>, which rejects a value below 1.</remarks>
    /// <value>The default value is 1: each callback is posted once.</value>
    public int DeliveriesPerWebhook { get; set; } = 1;

    /// <summary>Gets or sets the handler callbacks and webhooks are sent through, for example a test server's handler.</summary>
    /// <value>The default value is <see langword="null"/>: a new socket handler, owned by the emulator.</value>
    public HttpMessageHandler? CallbackHandler { get; set; }

    /// <summary>
    /// Gets or sets the price of one SMS segment (and of one MMS or WhatsApp message), in US dollars. A message reports it
    /// as <c>price</c> (negative, as Twilio reports charges, times <c>num_segments</c>, <c>price_unit</c> USD) once it was
    /// sent; a queued or failed message has no price.
    /// </summary>
    /// <value>The default value is 0.0079.</value>
    public decimal PricePerSegment { get; set; } = 0.0079m;
}
