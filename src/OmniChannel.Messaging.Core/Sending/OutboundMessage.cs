namespace OmniChannel.Messaging;

/// <summary>
/// Represents one Programmable Messaging create request (<c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c>) after
/// the channel client applied its policies: the recipient normalized, the sender chosen, the content decided.
/// </summary>
/// <remarks>The SMS and WhatsApp clients build these; use <see cref="TwilioMessageSender"/> directly only for a channel they do not cover.</remarks>
public sealed class OutboundMessage
{
    /// <summary>Initializes a new instance of the <see cref="OutboundMessage"/> class.</summary>
    /// <param name="channel">The channel; decides the suppression list consulted.</param>
    /// <param name="to">The normalized recipient: E.164, or <c>whatsapp:+E164</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="to"/> is empty.</exception>
    public OutboundMessage(MessagingChannel channel, string to)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(to);
        Channel = channel;
        To = to;
    }

    /// <summary>Gets the channel.</summary>
    public MessagingChannel Channel { get; }

    /// <summary>Gets the normalized recipient.</summary>
    public string To { get; }

    /// <summary>Gets or sets the sender address (<c>From</c>); used when <see cref="MessagingServiceSid"/> is not set.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? From { get; init; }

    /// <summary>Gets or sets the Messaging Service SID (<c>MG…</c>) to send through; preferred over <see cref="From"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? MessagingServiceSid { get; init; }

    /// <summary>Gets or sets the text.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Body { get; init; }

    /// <summary>Gets or sets the media URLs (at most 10, https).</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<Uri> MediaUrls { get; init; } = [];

    /// <summary>Gets or sets the Content API template SID (<c>HX…</c>).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ContentSid { get; init; }

    /// <summary>Gets or sets the template variables as a JSON object with string keys <c>"1"</c>, <c>"2"</c>, ….</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ContentVariables { get; init; }

    /// <summary>Gets or sets the URL Twilio posts status changes to.</summary>
    /// <value>The default value is <see langword="null"/>: the Messaging Service's callback, if any.</value>
    public Uri? StatusCallback { get; init; }

    /// <summary>Gets or sets how long Twilio may keep trying to deliver (1 second to 10 hours).</summary>
    /// <value>The default value is <see langword="null"/>: Twilio's default of 36,000 seconds.</value>
    public TimeSpan? ValidityPeriod { get; init; }

    /// <summary>Gets or sets a value indicating whether Twilio should expect message feedback (<c>ProvideFeedback</c>).</summary>
    /// <value>The default value is <see langword="null"/>: not sent.</value>
    public bool? ProvideFeedback { get; init; }

    /// <summary>Gets or sets a value indicating whether Twilio shortens links (<c>ShortenUrls</c>); needs a Messaging Service.</summary>
    /// <value>The default value is <see langword="null"/>: not sent.</value>
    public bool? ShortenUrls { get; init; }

    /// <summary>Gets or sets a value indicating whether Twilio replaces look-alike Unicode characters to keep GSM-7 (<c>SmartEncoded</c>).</summary>
    /// <value>The default value is <see langword="null"/>: not sent.</value>
    public bool? SmartEncoded { get; init; }

    /// <summary>Gets or sets the time to send at (<c>ScheduleType=fixed</c> + <c>SendAt</c>); needs a Messaging Service.</summary>
    /// <value>The default value is <see langword="null"/>: send now.</value>
    public DateTimeOffset? SendAt { get; init; }

    /// <summary>Gets or sets the idempotency key: a second send with the same key returns the first result instead of sending again.</summary>
    /// <value>The default value is <see langword="null"/>: no deduplication.</value>
    public string? IdempotencyKey { get; init; }

    /// <summary>
    /// Gets or sets the fingerprint of the caller's request that <see cref="IdempotencyKey"/> is checked against: a later
    /// send with the key and another fingerprint throws <see cref="IdempotencyKeyMismatchException"/>. A channel client
    /// sets it from its own message, so a send it turns into a template keeps the fingerprint of what the caller asked for.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: a hash of this request's fields.</value>
    public string? RequestFingerprint { get; init; }

    /// <summary>
    /// Gets or sets a value indicating whether the caller already made this send's pre-send checks: the look-up of an
    /// earlier result under <see cref="IdempotencyKey"/> (<see cref="TwilioMessageSender.FindPreviousResultAsync"/>) and the
    /// suppression check. <see cref="TwilioMessageSender.SendAsync"/> then skips both; a concurrent send with the same key
    /// is still caught when the key is reserved. A channel client sets it so each send reads the stores once.
    /// </summary>
    /// <value>The default value is <see langword="false"/>: <see cref="TwilioMessageSender.SendAsync"/> makes both checks.</value>
    public bool PreSendChecksDone { get; init; }

    /// <summary>Gets the suppression scope of this send: the Messaging Service when set, otherwise the sender.</summary>
    internal SuppressionScope SuppressionScope => SuppressionScope.For(MessagingServiceSid, From);
}
