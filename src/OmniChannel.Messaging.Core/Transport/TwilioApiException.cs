using System.Globalization;
using System.Net;

namespace OmniChannel.Messaging;

/// <summary>
/// Represents an error answer from Twilio: any HTTP status outside 2xx, with the Twilio error code, message, more-info link
/// and request id when Twilio sent them.
/// </summary>
/// <remarks>
/// Transport failures (<see cref="HttpRequestException"/>), timeouts (<c>Polly.Timeout.TimeoutRejectedException</c>), an open
/// circuit (<c>Polly.CircuitBreaker.BrokenCircuitException</c>) and cancellation (<see cref="OperationCanceledException"/>) are
/// not API errors and are not wrapped in this type. The exception carries no request, header or body data beyond these
/// scalars, so it never holds a credential.
/// </remarks>
public sealed class TwilioApiException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="TwilioApiException"/> class.</summary>
    /// <param name="status">The HTTP status code of the answer.</param>
    /// <param name="errorCode">The Twilio error code, when the body carried one.</param>
    /// <param name="twilioMessage">The message Twilio gave, when the body carried one.</param>
    /// <param name="moreInfo">The link to Twilio's page for the error code, when given.</param>
    /// <param name="requestId">The Twilio request id (<c>RQ…</c>) from the response headers, when given.</param>
    /// <param name="retryAfter">The wait Twilio asked for in a <c>Retry-After</c> header, when given.</param>
    public TwilioApiException(HttpStatusCode status, int? errorCode, string? twilioMessage, Uri? moreInfo, string? requestId, TimeSpan? retryAfter)
        : base(FormatMessage(status, errorCode, twilioMessage, moreInfo, requestId))
    {
        Status = status;
        ErrorCode = errorCode;
        TwilioMessage = twilioMessage;
        MoreInfo = moreInfo;
        RequestId = requestId;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets the HTTP status code of the answer.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>Gets the Twilio error code (for example 21211), or <see langword="null"/> when the body carried none.</summary>
    public int? ErrorCode { get; }

    /// <summary>Gets the message Twilio gave, or <see langword="null"/> when the body carried none.</summary>
    public string? TwilioMessage { get; }

    /// <summary>Gets the link to Twilio's page about the error code, or <see langword="null"/>.</summary>
    public Uri? MoreInfo { get; }

    /// <summary>Gets the Twilio request id (<c>RQ…</c>) to quote to Twilio support, or <see langword="null"/>.</summary>
    public string? RequestId { get; }

    /// <summary>Gets the wait Twilio asked for in a <c>Retry-After</c> header, or <see langword="null"/>.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Gets a value indicating whether Twilio did not process the request and it may be sent again later (HTTP 429).</summary>
    public bool IsThrottled => Status == HttpStatusCode.TooManyRequests;

    private static string FormatMessage(HttpStatusCode status, int? errorCode, string? twilioMessage, Uri? moreInfo, string? requestId)
    {
        var code = errorCode is { } c ? $"Twilio error {c.ToString(CultureInfo.InvariantCulture)}" : "Twilio error";
        var message = $"{code} (HTTP {((int)status).ToString(CultureInfo.InvariantCulture)}): {(string.IsNullOrWhiteSpace(twilioMessage) ? status.ToString() : twilioMessage.TrimEnd('.'))}.";
        if (moreInfo is not null)
        {
            message += $" See {moreInfo}";
        }

        if (!string.IsNullOrEmpty(requestId))
        {
            message += $" (request {requestId})";
        }

        return message;
    }
}
