namespace OmniChannel.Messaging.Sms;

/// <summary>Represents the settings of <see cref="ISmsClient"/>.</summary>
/// <remarks>Set <see cref="MessagingServiceSid"/> (preferred) or <see cref="From"/>; the options are validated when the host starts.</remarks>
public sealed class SmsOptions
{
    /// <summary>Gets or sets the Messaging Service SID (<c>MG…</c>) messages are sent through; preferred over <see cref="From"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? MessagingServiceSid { get; set; }

    /// <summary>
    /// Gets or sets the sender (phone number, short code or alphanumeric sender ID) used when no Messaging Service is set. A
    /// phone number is normalized to E.164 (with <see cref="DefaultRegion"/> for a national number) before it is sent or used
    /// as a suppression scope, so it matches the scope the webhook pipeline records opt-outs under.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? From { get; set; }

    /// <summary>Gets or sets the URL Twilio posts status changes to; it overrides the Messaging Service's callback.</summary>
    /// <value>The default value is <see langword="null"/>: no per-message callback.</value>
    public Uri? StatusCallback { get; set; }

    /// <summary>Gets or sets the region for recipients written without a country code, for example <c>US</c>.</summary>
    /// <value>The default value is <see langword="null"/>: numbers must carry their country code.</value>
    public string? DefaultRegion { get; set; }

    /// <summary>Gets or sets a value indicating whether messages ask Twilio to smart-encode look-alike characters (<c>SmartEncoded</c>).</summary>
    /// <value>The default value is <see langword="null"/>: not sent (Twilio's or the Messaging Service's setting applies).</value>
    public bool? SmartEncoded { get; set; }

    /// <summary>Gets or sets the most sends <see cref="ISmsClient.SendManyAsync"/> keeps in flight.</summary>
    /// <value>The default value is 16.</value>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>Gets or sets how long a send's result is remembered under its idempotency key.</summary>
    /// <value>The default value is 24 hours.</value>
    public TimeSpan IdempotencyKeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets how long a send waits for a concurrent send with the same idempotency key before it reports "may have been sent".</summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan IdempotencyWaitTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
