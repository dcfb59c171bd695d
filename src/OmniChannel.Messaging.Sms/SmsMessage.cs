namespace OmniChannel.Messaging.Sms;

/// <summary>Represents one SMS or MMS to send.</summary>
public sealed class SmsMessage
{
    /// <summary>Initializes a new instance of the <see cref="SmsMessage"/> class.</summary>
    /// <param name="to">The recipient as typed; it is normalized to E.164 (with <see cref="SmsOptions.DefaultRegion"/> for national numbers).</param>
    /// <param name="body">The text (at most 1,600 characters), or <see langword="null"/> for an MMS with media only.</param>
    /// <exception cref="ArgumentNullException"><paramref name="to"/> is <see langword="null"/>.</exception>
    public SmsMessage(string to, string? body)
    {
        ArgumentNullException.ThrowIfNull(to);
        To = to;
        Body = body;
    }

    /// <summary>Gets the recipient as given.</summary>
    public string To { get; }

    /// <summary>Gets the text.</summary>
    public string? Body { get; }

    /// <summary>Gets or sets the media URLs of an MMS: at most 10, https only.</summary>
    /// <value>The default value is empty: a plain SMS.</value>
    public IReadOnlyList<Uri> MediaUrls { get; init; } = [];

    /// <summary>Gets or sets the Messaging Service SID (<c>MG…</c>) for this message, overriding <see cref="SmsOptions.MessagingServiceSid"/>.</summary>
    /// <value>The default value is <see langword="null"/>: the configured sender.</value>
    public string? MessagingServiceSid { get; init; }

    /// <summary>Gets or sets the From number, alphanumeric sender ID or short code for this message, overriding <see cref="SmsOptions.From"/>.</summary>
    /// <value>The default value is <see langword="null"/>: the configured sender.</value>
    public string? From { get; init; }

    /// <summary>Gets or sets the URL Twilio posts status changes to, overriding <see cref="SmsOptions.StatusCallback"/>.</summary>
    /// <value>The default value is <see langword="null"/>: the configured callback.</value>
    public Uri? StatusCallback { get; init; }

    /// <summary>Gets or sets how long Twilio may try to deliver (1 second to 10 hours; Twilio recommends more than 5 seconds).</summary>
    /// <value>The default value is <see langword="null"/>: Twilio's 36,000 seconds.</value>
    public TimeSpan? ValidityPeriod { get; init; }

    /// <summary>Gets or sets a value indicating whether you will report delivery feedback (<c>ProvideFeedback</c>).</summary>
    /// <value>The default value is <see langword="null"/>: not sent.</value>
    public bool? ProvideFeedback { get; init; }

    /// <summary>Gets or sets a value indicating whether Twilio shortens links in the body; needs a Messaging Service.</summary>
    /// <value>The default value is <see langword="null"/>: not sent.</value>
    public bool? ShortenUrls { get; init; }

    /// <summary>Gets or sets a value indicating whether Twilio smart-encodes look-alike characters, overriding <see cref="SmsOptions.SmartEncoded"/>.</summary>
    /// <value>The default value is <see langword="null"/>: the configured value.</value>
    public bool? SmartEncoded { get; init; }

    /// <summary>Gets or sets the time to send at (<c>ScheduleType=fixed</c>): 15 minutes to 35 days ahead, through a Messaging Service.</summary>
    /// <value>The default value is <see langword="null"/>: send now.</value>
    public DateTimeOffset? SendAt { get; init; }

    /// <summary>
    /// Gets or sets the idempotency key: a later send with the same key (while the first is remembered) returns the first
    /// result instead of sending again, and a concurrent one waits for it.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no deduplication.</value>
    public string? IdempotencyKey { get; init; }
}
