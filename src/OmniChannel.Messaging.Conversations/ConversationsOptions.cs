namespace OmniChannel.Messaging.Conversations;

/// <summary>Represents the settings of <see cref="IConversationsClient"/>.</summary>
public sealed class ConversationsOptions
{
    /// <summary>Gets or sets the Conversations service SID (<c>IS…</c>); requests then use <c>/v1/Services/{ServiceSid}/…</c>.</summary>
    /// <value>The default value is <see langword="null"/>: the account's default Conversations service.</value>
    public string? ServiceSid { get; set; }

    /// <summary>Gets or sets how long a unique name stays mapped to its conversation SID and snapshot in this process.</summary>
    /// <value>The default value is 10 minutes. <see cref="TimeSpan.Zero"/> turns the cache off.</value>
    public TimeSpan UniqueNameCacheDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets how long an ensured participant is remembered, so repeating the ensure costs no call.</summary>
    /// <value>The default value is 10 minutes. <see cref="TimeSpan.Zero"/> turns the cache off.</value>
    public TimeSpan ParticipantCacheDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Gets or sets the most entries each in-process cache (unique names, participants) holds. Expired entries are swept
    /// at most once per cache duration; past the limit the entries closest to expiry are dropped first.
    /// </summary>
    /// <value>The default value is 10,000.</value>
    public int CacheSizeLimit { get; set; } = 10_000;

    /// <summary>Gets or sets the default region for phone numbers written without a country code, for example <c>US</c>.</summary>
    /// <value>The default value is <see langword="null"/>: numbers must carry their country code.</value>
    public string? DefaultRegion { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether REST changes fire the service's webhooks (<c>X-Twilio-Webhook-Enabled: true</c>).
    /// Twilio does not fire them for REST calls by default, to avoid feedback loops. A single call can override this with
    /// <see cref="IConversationsClient.WithWebhooks"/>.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool EnableWebhooks { get; set; }

    /// <summary>Gets or sets how many times a create or ensure is repeated after Twilio's "conflicting modification" answer (50391).</summary>
    /// <value>The default value is 3.</value>
    public int ConflictRetries { get; set; } = 3;
}
