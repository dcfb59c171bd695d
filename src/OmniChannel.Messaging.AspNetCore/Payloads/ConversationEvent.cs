using Microsoft.AspNetCore.Http;
using OmniChannel.Messaging.AspNetCore.Internal;

namespace OmniChannel.Messaging.AspNetCore;

/// <summary>
/// Represents a Conversations post-event webhook (<c>onMessageAdded</c>, <c>onDeliveryUpdated</c>,
/// <c>onParticipantAdded</c>, <c>onConversationStateUpdated</c>, …). Each event sends a subset of these fields; the
/// others are <see langword="null"/>. Unknown fields are kept in <see cref="Parameters"/>.
/// </summary>
public sealed class ConversationEvent
{
    /// <summary>Gets the event type.</summary>
    public required ConversationEventType EventType { get; init; }

    /// <summary>Gets the account SID.</summary>
    public string? AccountSid { get; init; }

    /// <summary>Gets the Conversations service SID (<c>IS…</c>).</summary>
    public string? ChatServiceSid { get; init; }

    /// <summary>Gets the conversation SID (<c>CH…</c>).</summary>
    public string? ConversationSid { get; init; }

    /// <summary>Gets what caused the event: <c>SDK</c>, <c>API</c>, <c>SMS</c>, <c>WHATSAPP</c>….</summary>
    public string? Source { get; init; }

    /// <summary>Gets the identity of the SDK user who caused the event (SDK sources only).</summary>
    public string? ClientIdentity { get; init; }

    /// <summary>Gets the Messaging Service SID of the conversation.</summary>
    public string? MessagingServiceSid { get; init; }

    /// <summary>Gets the conversation's friendly name (conversation events).</summary>
    public string? FriendlyName { get; init; }

    /// <summary>Gets the conversation's unique name (conversation events).</summary>
    public string? UniqueName { get; init; }

    /// <summary>Gets the conversation's state before the change (<c>onConversationStateUpdated</c>).</summary>
    public string? StateFrom { get; init; }

    /// <summary>Gets the conversation's state after the change (<c>onConversationStateUpdated</c>).</summary>
    public string? StateTo { get; init; }

    /// <summary>Gets why the state changed: <c>API</c>, <c>TIMER</c> or <c>EVENT</c> (<c>onConversationStateUpdated</c>).</summary>
    public string? Reason { get; init; }

    /// <summary>Gets when the state changed (<c>onConversationStateUpdated</c>).</summary>
    public DateTimeOffset? StateUpdated { get; init; }

    /// <summary>Gets the message SID (<c>IM…</c>; message and delivery events).</summary>
    public string? MessageSid { get; init; }

    /// <summary>Gets the message's index in the conversation (message events).</summary>
    public long? Index { get; init; }

    /// <summary>Gets the message text (message events).</summary>
    public string? Body { get; init; }

    /// <summary>Gets the message author: an identity or an address (message events).</summary>
    public string? Author { get; init; }

    /// <summary>Gets the media of the message, the JSON array Twilio sends (message events).</summary>
    public string? Media { get; init; }

    /// <summary>Gets the participant SID (<c>MB…</c>; participant, message and delivery events).</summary>
    public string? ParticipantSid { get; init; }

    /// <summary>Gets the participant's chat identity (participant events).</summary>
    public string? Identity { get; init; }

    /// <summary>Gets the participant's binding type, <c>sms</c> or <c>whatsapp</c> (participant events).</summary>
    public string? MessagingBindingType { get; init; }

    /// <summary>Gets the participant's addresses; Group MMS sends several (participant and conversation events).</summary>
    public IReadOnlyList<string> MessagingBindingAddresses { get; init; } = [];

    /// <summary>Gets the participant's proxy address, the Twilio number it talks to (participant events).</summary>
    public string? MessagingBindingProxyAddress { get; init; }

    /// <summary>Gets the participant's role SID (participant events).</summary>
    public string? RoleSid { get; init; }

    /// <summary>Gets the attributes JSON of the conversation, message or participant.</summary>
    public string? Attributes { get; init; }

    /// <summary>Gets the delivery receipt SID (<c>DY…</c>; <c>onDeliveryUpdated</c>).</summary>
    public string? DeliveryReceiptSid { get; init; }

    /// <summary>Gets the channel message SID (<c>SM…</c> or <c>WA…</c>; <c>onDeliveryUpdated</c>).</summary>
    public string? ChannelMessageSid { get; init; }

    /// <summary>Gets the receipt status: <c>sent</c>, <c>delivered</c>, <c>read</c>, <c>failed</c> or <c>undelivered</c> (<c>onDeliveryUpdated</c>).</summary>
    public MessageStatus Status { get; init; }

    /// <summary>Gets the receipt's error code; 0 or <see langword="null"/> means none (<c>onDeliveryUpdated</c>).</summary>
    public int? ErrorCode { get; init; }

    /// <summary>Gets when the resource was created.</summary>
    public DateTimeOffset? DateCreated { get; init; }

    /// <summary>Gets when the resource was last updated.</summary>
    public DateTimeOffset? DateUpdated { get; init; }

    /// <summary>Gets the time the receiver accepted the webhook.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Gets every parameter received, in order, repeated keys included.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary>
    /// Binds the event from a request's form, so a minimal API endpoint can take a <see cref="ConversationEvent"/>
    /// parameter. Signature validation is not done here; add <c>.ValidateTwilioSignature()</c> to the endpoint.
    /// </summary>
    /// <param name="context">The request's context.</param>
    /// <returns>The event, or <see langword="null"/> when the request has no form or no <c>EventType</c>.</returns>
    public static async ValueTask<ConversationEvent?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var fields = await WebhookBinding.ReadFieldsAsync(context).ConfigureAwait(false);
        return fields is null ? null : WebhookPayloads.Conversation(fields, WebhookBinding.Now(context));
    }
}
