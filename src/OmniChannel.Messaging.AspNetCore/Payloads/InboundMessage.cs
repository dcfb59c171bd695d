using Microsoft.AspNetCore.Http;
using OmniChannel.Messaging.AspNetCore.Internal;

namespace OmniChannel.Messaging.AspNetCore;

/// <summary>
/// Represents an inbound SMS, MMS or WhatsApp message as Twilio posts it to a number's (or Messaging Service's) webhook.
/// Every field but <see cref="MessageSid"/> is optional; unknown fields are kept in <see cref="Parameters"/>.
/// </summary>
public sealed class InboundMessage
{
    /// <summary>Gets the message SID (<c>SM…</c> or <c>MM…</c>).</summary>
    public required string MessageSid { get; init; }

    /// <summary>Gets the account SID.</summary>
    public string? AccountSid { get; init; }

    /// <summary>Gets the Messaging Service SID, when the receiving number belongs to one.</summary>
    public string? MessagingServiceSid { get; init; }

    /// <summary>Gets the sender: the user's number, or <c>whatsapp:+…</c>.</summary>
    public string? From { get; init; }

    /// <summary>Gets the receiving number (yours), or <c>whatsapp:+…</c>.</summary>
    public string? To { get; init; }

    /// <summary>Gets the text of the message; empty for media-only messages.</summary>
    public string Body { get; init; } = string.Empty;

    /// <summary>Gets the channel, from the sender's address prefix.</summary>
    public MessagingChannel Channel { get; init; }

    /// <summary>Gets the media attached, in order.</summary>
    public IReadOnlyList<InboundMedia> Media { get; init; } = [];

    /// <summary>Gets the number of SMS segments the message arrived in, when sent.</summary>
    public int? NumSegments { get; init; }

    /// <summary>Gets the WhatsApp ID of the sender (WhatsApp only).</summary>
    public string? WaId { get; init; }

    /// <summary>Gets the sender's profile name (WhatsApp only).</summary>
    public string? ProfileName { get; init; }

    /// <summary>Gets Twilio's own keyword classification (<c>STOP</c>, <c>START</c>, <c>HELP</c>), sent with Advanced Opt-Out only.</summary>
    public string? OptOutType { get; init; }

    /// <summary>Gets the keyword classification made by the receiver.</summary>
    public OptOutClassification Keyword { get; init; }

    /// <summary>Gets the time the receiver accepted the webhook.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Gets every parameter received, in order, repeated keys included.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary>
    /// Binds the message from a request's form, so a minimal API endpoint can take an <see cref="InboundMessage"/>
    /// parameter. Signature validation is not done here; add <c>.ValidateTwilioSignature()</c> to the endpoint.
    /// </summary>
    /// <param name="context">The request's context.</param>
    /// <returns>The message, or <see langword="null"/> when the request has no form or no <c>MessageSid</c>.</returns>
    public static async ValueTask<InboundMessage?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var fields = await WebhookBinding.ReadFieldsAsync(context).ConfigureAwait(false);
        return fields is null ? null : WebhookPayloads.Inbound(fields, OptOutClassifier.Default, WebhookBinding.Now(context));
    }
}
