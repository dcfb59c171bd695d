using Microsoft.AspNetCore.Http;
using OmniChannel.Messaging.AspNetCore.Internal;

namespace OmniChannel.Messaging.AspNetCore;

/// <summary>
/// Represents a message status callback (the <c>StatusCallback</c> URL of a send). Every field but
/// <see cref="MessageSid"/> is optional; unknown fields are kept in <see cref="Parameters"/>.
/// </summary>
public sealed class StatusCallback
{
    /// <summary>Gets the message SID (<c>SM…</c> or <c>MM…</c>).</summary>
    public required string MessageSid { get; init; }

    /// <summary>Gets the account SID.</summary>
    public string? AccountSid { get; init; }

    /// <summary>Gets the Messaging Service SID, when the message was sent through one.</summary>
    public string? MessagingServiceSid { get; init; }

    /// <summary>Gets the sender of the message.</summary>
    public string? From { get; init; }

    /// <summary>Gets the recipient of the message.</summary>
    public string? To { get; init; }

    /// <summary>Gets the reported status (<c>MessageStatus</c>, else <c>SmsStatus</c>); empty when neither was sent.</summary>
    public MessageStatus Status { get; init; }

    /// <summary>Gets the error code sent with a failed or undelivered status.</summary>
    public int? ErrorCode { get; init; }

    /// <summary>Gets the carrier's delivery report time (<c>RawDlrDoneDate</c>, <c>YYMMDDhhmm</c>), SMS only.</summary>
    public string? RawDlrDoneDate { get; init; }

    /// <summary>Gets the time the receiver accepted the callback; the reducer's timestamp for it.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Gets every parameter received, in order, repeated keys included.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary>Gets the report as a reducer event.</summary>
    /// <returns>The status, receive time and error code.</returns>
    public MessageStatusEvent ToStatusEvent() => new(Status, ReceivedAt, ErrorCode);

    /// <summary>
    /// Binds the callback from a request's form, so a minimal API endpoint can take a <see cref="StatusCallback"/>
    /// parameter. Signature validation is not done here; add <c>.ValidateTwilioSignature()</c> to the endpoint.
    /// </summary>
    /// <param name="context">The request's context.</param>
    /// <returns>The callback, or <see langword="null"/> when the request has no form or no <c>MessageSid</c>.</returns>
    public static async ValueTask<StatusCallback?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var fields = await WebhookBinding.ReadFieldsAsync(context).ConfigureAwait(false);
        return fields is null ? null : WebhookPayloads.Status(fields, WebhookBinding.Now(context));
    }
}
