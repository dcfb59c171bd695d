using System.Net;

namespace OmniChannel.Messaging;

/// <summary>
/// Provides the classification of Programmable Messaging errors, the same for a synchronous error answer and for a
/// <c>failed</c>/<c>undelivered</c> status callback.
/// </summary>
/// <remarks>
/// The HTTP status decides first (429 and 5xx are retryable, 401/403 are configuration), and Twilio error codes are read
/// as hints, since Twilio says codes may change: 21211, 21610, 21614, 30003, 30005 (and the 2024 split codes 21612, 21408)
/// are recipient problems; 30007 is filtered content; 20003 and 21606 are sender configuration; 63016 needs a template;
/// 20429 and 63018 are retryable. With a Messaging Service many of these arrive later as failed status callbacks, so
/// <see cref="ClassifyStatusCallback"/> gives the same answer for the same code.
/// </remarks>
public static class MessageErrorClassifier
{
    /// <summary>The code Twilio gives for a send to a recipient who opted out (STOP): 21610.</summary>
    public const int UnsubscribedRecipientCode = 21610;

    /// <summary>The code Twilio gives for a WhatsApp free-form message outside the 24-hour window: 63016.</summary>
    public const int OutsideWindowCode = 63016;

    /// <summary>Classifies an error answer to a send.</summary>
    /// <param name="status">The HTTP status of the answer.</param>
    /// <param name="errorCode">The Twilio error code in the body, if any.</param>
    /// <returns>The category.</returns>
    public static MessageErrorCategory Classify(HttpStatusCode status, int? errorCode)
    {
        var code = (int)status;
        if (code is >= 200 and < 300)
        {
            return errorCode is null ? MessageErrorCategory.None : ClassifyCode(errorCode.Value);
        }

        if (status == HttpStatusCode.TooManyRequests || code >= 500)
        {
            return MessageErrorCategory.Retryable;
        }

        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return MessageErrorCategory.SenderConfiguration;
        }

        return errorCode is { } c ? ClassifyCode(c) : MessageErrorCategory.Other;
    }

    /// <summary>Classifies the <c>ErrorCode</c> of a <c>failed</c> or <c>undelivered</c> status callback.</summary>
    /// <param name="errorCode">The callback's <c>ErrorCode</c>; <see langword="null"/> when it carried none.</param>
    /// <returns>The category; <see cref="MessageErrorCategory.Other"/> for an unknown or missing code.</returns>
    public static MessageErrorCategory ClassifyStatusCallback(int? errorCode) =>
        errorCode is { } code ? ClassifyCode(code) : MessageErrorCategory.Other;

    /// <summary>Determines whether an error code means the recipient opted out, so the recipient must be suppressed and never retried.</summary>
    /// <param name="errorCode">The Twilio error code.</param>
    /// <returns><see langword="true"/> for 21610.</returns>
    public static bool IsOptOut(int? errorCode) => errorCode == UnsubscribedRecipientCode;

    private static MessageErrorCategory ClassifyCode(int code) => code switch
    {
        20429 or 63018 => MessageErrorCategory.Retryable,
        21211 or 21408 or 21610 or 21612 or 21614 or 30003 or 30005 or 30006 => MessageErrorCategory.Recipient,
        30007 => MessageErrorCategory.ContentFiltered,
        20003 or 21606 or 21603 or 21659 or 21705 => MessageErrorCategory.SenderConfiguration,
        63016 => MessageErrorCategory.TemplateRequired,
        _ => MessageErrorCategory.Other,
    };
}
