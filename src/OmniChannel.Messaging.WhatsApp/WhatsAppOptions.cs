namespace OmniChannel.Messaging.WhatsApp;

/// <summary>Represents the settings of <see cref="IWhatsAppClient"/>.</summary>
public sealed class WhatsAppOptions
{
    /// <summary>Gets the default media size limits: images 5 MB, audio and video 16 MB, documents 100 MB.</summary>
    public static IReadOnlyDictionary<string, long> DefaultMediaSizeLimits { get; } = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase)
    {
        ["image/jpeg"] = 5 * Megabyte,
        ["image/png"] = 5 * Megabyte,
        ["audio/ogg"] = 16 * Megabyte,
        ["audio/mpeg"] = 16 * Megabyte,
        ["audio/amr"] = 16 * Megabyte,
        ["audio/mp4"] = 16 * Megabyte,
        ["audio/aac"] = 16 * Megabyte,
        ["video/mp4"] = 16 * Megabyte,
        ["video/3gpp"] = 16 * Megabyte,
        ["application/pdf"] = 100 * Megabyte,
        ["application/msword"] = 100 * Megabyte,
        ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"] = 100 * Megabyte,
        ["application/vnd.ms-excel"] = 100 * Megabyte,
        ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = 100 * Megabyte,
        ["application/vnd.ms-powerpoint"] = 100 * Megabyte,
        ["application/vnd.openxmlformats-officedocument.presentationml.presentation"] = 100 * Megabyte,
        ["text/plain"] = 100 * Megabyte,
    };

    private const long Megabyte = 1024 * 1024;

    /// <summary>
    /// Gets or sets your WhatsApp sender, <c>whatsapp:+E164</c>. It is the <c>From</c> of each message without a Messaging
    /// Service, and always the sender whose 24-hour windows are looked up in <see cref="ILastInboundStore"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>; it must be set.</value>
    public string? From { get; set; }

    /// <summary>Gets or sets the Messaging Service SID (<c>MG…</c>) holding the WhatsApp sender; messages are then sent through it.</summary>
    /// <value>The default value is <see langword="null"/>: messages are sent from <see cref="From"/>.</value>
    public string? MessagingServiceSid { get; set; }

    /// <summary>Gets or sets the URL Twilio posts status changes to.</summary>
    /// <value>The default value is <see langword="null"/>: no per-message callback.</value>
    public Uri? StatusCallback { get; set; }

    /// <summary>Gets or sets the region for recipients written without a country code, for example <c>GB</c>.</summary>
    /// <value>The default value is <see langword="null"/>: numbers must carry their country code.</value>
    public string? DefaultRegion { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether session messages are checked against the 24-hour customer service window
    /// before sending (outside it: the fallback template, or a <see cref="MessageSendOutcome.TemplateRequired"/> result with no call).
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool EnforceCustomerServiceWindow { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether a template is sent only to recipients with an active opt-in in <see cref="IConsentStore"/>.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool RequireConsentForTemplates { get; set; }

    /// <summary>
    /// Gets the allowed media MIME types and each one's size limit in bytes; a type not listed is refused before sending.
    /// Add or remove entries to change the policy.
    /// </summary>
    /// <value>The default value is a copy of <see cref="DefaultMediaSizeLimits"/>.</value>
    public IDictionary<string, long> MediaSizeLimits { get; } = new Dictionary<string, long>(DefaultMediaSizeLimits, StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the most sends <see cref="IWhatsAppClient.SendManyAsync"/> keeps in flight.</summary>
    /// <value>The default value is 16.</value>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>Gets or sets how long a send's result is remembered under its idempotency key.</summary>
    /// <value>The default value is 24 hours.</value>
    public TimeSpan IdempotencyKeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets how long a send waits for a concurrent send with the same idempotency key before it reports "may have been sent".</summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan IdempotencyWaitTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
