namespace OmniChannel.Messaging.Testing;

/// <summary>Represents how <see cref="TwilioEmulator.SendStatusCallbacksAsync"/> reports a message's progress.</summary>
public sealed class StatusCallbackPlan
{
    /// <summary>
    /// Gets or sets the statuses to report, in their true order, for example <c>queued, sent, undelivered</c>.
    /// </summary>
    /// <value>
    /// The default value is <see langword="null"/>: <c>queued, sent, delivered</c> for a send from a number, and
    /// <c>accepted, queued, sending, sent, delivered</c> for a Messaging Service send, plus <c>read</c> for WhatsApp; or
    /// <c>queued, failed</c> (<c>accepted, queued, failed</c> through a Messaging Service) for a message the emulator failed
    /// (63016, 63018).
    /// </value>
    public IReadOnlyList<string>? Statuses { get; set; }

    /// <summary>Gets or sets the <c>ErrorCode</c> sent with <c>failed</c> and <c>undelivered</c> statuses.</summary>
    /// <value>The default value is <see langword="null"/>: the message's own error, else 30003 for undelivered and 30008 for failed.</value>
    public int? ErrorCode { get; set; }

    /// <summary>Gets or sets a value indicating whether every callback is sent twice, as Twilio's retries can do.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Duplicate { get; set; }

    /// <summary>Gets or sets a value indicating whether a duplicate reuses the original's <c>I-Twilio-Idempotency-Token</c>.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool DuplicatesShareIdempotencyToken { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether the callbacks are sent in a random order, as they can arrive from Twilio.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Shuffle { get; set; }

    /// <summary>Gets or sets the seed of the shuffle, for a repeatable order.</summary>
    /// <value>The default value is <see langword="null"/>: a random seed.</value>
    public int? Seed { get; set; }

    /// <summary>
    /// Gets or sets where to post the callbacks of a message sent without its own <c>StatusCallback</c>, as Twilio posts
    /// to the status callback URL configured on a Messaging Service. A message's own <c>StatusCallback</c> takes precedence,
    /// as with Twilio.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the message must carry a <c>StatusCallback</c>.</value>
    public Uri? Url { get; set; }
}
