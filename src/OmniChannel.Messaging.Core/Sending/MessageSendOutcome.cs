namespace OmniChannel.Messaging;

/// <summary>Identifies what happened to one send.</summary>
public enum MessageSendOutcome
{
    /// <summary>Twilio created the message; <see cref="MessageSendResult.MessageSid"/> is set. Its later status may still fail.</summary>
    Accepted = 0,

    /// <summary>The recipient is on the suppression list (opted out); nothing was sent and no HTTP call was made.</summary>
    Suppressed = 1,

    /// <summary>The recipient address could not be normalized to E.164; no HTTP call was made.</summary>
    InvalidRecipient = 2,

    /// <summary>The content broke a rule checked before sending (media type, size or URL); no HTTP call was made.</summary>
    InvalidContent = 3,

    /// <summary>WhatsApp: the 24-hour window is closed and no template was given; no HTTP call was made (or Twilio answered 63016).</summary>
    TemplateRequired = 4,

    /// <summary>WhatsApp: a template was to be sent to a recipient without a recorded opt-in, and consent is required; no HTTP call was made.</summary>
    ConsentRequired = 5,

    /// <summary>Twilio refused the message; see <see cref="MessageSendResult.ErrorCode"/> and <see cref="MessageSendResult.ErrorCategory"/>.</summary>
    Failed = 6,

    /// <summary>
    /// The outcome is unknown: the request left but no usable answer came (a timeout, a lost connection, a 5xx or 408 from
    /// Twilio, or a cancellation after the request left), so the message may have been sent. It is not retried
    /// automatically and its idempotency key is kept; reconcile (for example list messages to the recipient) before sending again.
    /// </summary>
    MaybeSent = 7,

    /// <summary>
    /// The message was refused before sending, in a batch: it broke a request rule (the send would have thrown
    /// <see cref="ArgumentException"/>) or reused an idempotency key with different content; see <see cref="MessageSendResult.ErrorMessage"/>.
    /// Nothing was sent. A single send throws instead.
    /// </summary>
    Rejected = 8,

    /// <summary>The batch was canceled before this message's request left; nothing was sent, so it is safe to send again.</summary>
    Canceled = 9,
}
