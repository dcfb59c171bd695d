namespace OmniChannel.Messaging.WhatsApp;

/// <summary>
/// Represents one WhatsApp message to send: a session (free-form) message with a body and/or media, or a template. With
/// a <see cref="FallbackTemplate"/>, a session message becomes that template when the 24-hour window is closed.
/// </summary>
public sealed class WhatsAppMessage
{
    /// <summary>Initializes a new instance of the <see cref="WhatsAppMessage"/> class.</summary>
    /// <param name="to">The recipient as typed, with or without the <c>whatsapp:</c> prefix; it is normalized to <c>whatsapp:+E164</c>.</param>
    /// <param name="body">The free-form text, or <see langword="null"/> for a media-only or template message.</param>
    /// <exception cref="ArgumentNullException"><paramref name="to"/> is <see langword="null"/>.</exception>
    public WhatsAppMessage(string to, string? body = null)
    {
        ArgumentNullException.ThrowIfNull(to);
        To = to;
        Body = body;
    }

    /// <summary>Gets the recipient as given.</summary>
    public string To { get; }

    /// <summary>Gets the free-form text.</summary>
    public string? Body { get; }

    /// <summary>Gets or sets the media of a session message (WhatsApp carries one attachment per message).</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<WhatsAppMedia> Media { get; init; } = [];

    /// <summary>Gets or sets the template to send; when set, <see cref="Body"/> and <see cref="Media"/> must be empty and the window does not matter.</summary>
    /// <value>The default value is <see langword="null"/>: a session message.</value>
    public WhatsAppTemplate? Template { get; init; }

    /// <summary>Gets or sets the template sent instead of the session message when the 24-hour window is closed (or Twilio answers 63016).</summary>
    /// <value>The default value is <see langword="null"/>: outside the window the send fails fast with <see cref="MessageSendOutcome.TemplateRequired"/>.</value>
    public WhatsAppTemplate? FallbackTemplate { get; init; }

    /// <summary>Gets or sets the URL Twilio posts status changes to, overriding <see cref="WhatsAppOptions.StatusCallback"/>.</summary>
    /// <value>The default value is <see langword="null"/>: the configured callback.</value>
    public Uri? StatusCallback { get; init; }

    /// <summary>Gets or sets how long Twilio may try to deliver (1 second to 10 hours).</summary>
    /// <value>The default value is <see langword="null"/>: Twilio's 36,000 seconds.</value>
    public TimeSpan? ValidityPeriod { get; init; }

    /// <summary>
    /// Gets or sets a value indicating whether Twilio shortens links in the body (<c>ShortenUrls</c>, Link Shortening, which
    /// Twilio prices for WhatsApp too); needs <see cref="WhatsAppOptions.MessagingServiceSid"/> with Link Shortening configured.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: not sent.</value>
    public bool? ShortenUrls { get; init; }

    /// <summary>
    /// Gets or sets a value indicating whether you will report delivery feedback for the message (<c>ProvideFeedback</c>,
    /// the channel-neutral Message Feedback resource).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: not sent.</value>
    public bool? ProvideFeedback { get; init; }

    /// <summary>
    /// Gets or sets the time to send at (<c>ScheduleType=fixed</c>), 15 minutes to 35 days ahead; needs <see cref="WhatsAppOptions.MessagingServiceSid"/>.
    /// A session message is judged against the customer service window at SendAt: one the window would no longer cover
    /// then is sent as its <see cref="FallbackTemplate"/>, or reported as <see cref="MessageSendOutcome.TemplateRequired"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: send now.</value>
    public DateTimeOffset? SendAt { get; init; }

    /// <summary>Gets or sets the idempotency key: a later send with the same key returns the first result instead of sending again.</summary>
    /// <value>The default value is <see langword="null"/>: no deduplication.</value>
    public string? IdempotencyKey { get; init; }
}
