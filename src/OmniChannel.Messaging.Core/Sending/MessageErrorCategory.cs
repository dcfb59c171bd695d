namespace OmniChannel.Messaging;

/// <summary>Identifies what kind of problem a failed Programmable Messaging send (synchronous or reported by a status callback) is.</summary>
/// <remarks>
/// The HTTP status decides first and Twilio error codes refine it, because Twilio warns that codes may change
/// (see <see cref="MessageErrorClassifier"/>).
/// </remarks>
public enum MessageErrorCategory
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Transient: Twilio did not process the request or asked to slow down (HTTP 429/20429, 5xx, 63018). Safe to send again later.</summary>
    Retryable = 1,

    /// <summary>The recipient cannot receive the message: invalid or unknown number, landline, opted out (21211, 21610, 21614, 30003, 30005).</summary>
    Recipient = 2,

    /// <summary>Twilio or the carrier filtered the content (30007). Never retried: fix the content or the sender registration.</summary>
    ContentFiltered = 3,

    /// <summary>The sender or the account is misconfigured: credentials, From number, Messaging Service (20003, 21606, HTTP 401/403).</summary>
    SenderConfiguration = 4,

    /// <summary>WhatsApp: a free-form message outside the 24-hour window; send an approved template instead (63016).</summary>
    TemplateRequired = 5,

    /// <summary>Any other failure; look at the error code and message.</summary>
    Other = 6,
}
