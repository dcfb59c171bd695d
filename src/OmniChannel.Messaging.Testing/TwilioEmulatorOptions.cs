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

    /// <summary>Gets or sets the URL Conversations post-event webhooks (<c>onMessageAdded</c>, …) are delivered to.</summary>
    /// <value>The default value is <see langword="null"/>: pass the URL to each delivery call.</value>
    public Uri? ConversationsWebhookUrl { get; set; }

    /// <summary>Gets or sets the number of REST requests per second above which the emulator answers 429 with code 20429.</summary>
    /// <value>The default value is <see langword="null"/>: no limit.</value>
    public int? RequestsPerSecond { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether channel errors that Twilio reports after accepting a message (63016 outside
    /// the WhatsApp window, 63018 channel rate limit) are instead returned at once as an error answer (HTTP 400 and 429).
    /// </summary>
    /// <value>The default value is <see langword="false"/>: the send answers 201 and the message fails afterwards, as with Twilio.</value>
    public bool ChannelErrorsAreSynchronous { get; set; }

    /// <summary>Gets or sets the handler callbacks and webhooks are sent through, for example a test server's handler.</summary>
    /// <value>The default value is <see langword="null"/>: a new socket handler, owned by the emulator.</value>
    public HttpMessageHandler? CallbackHandler { get; set; }
}
