namespace OmniChannel.Messaging.Conversations;

/// <summary>
/// Routes an inbound SMS or WhatsApp message into its conversation: one conversation per customer address (a deterministic,
/// optionally tenant-scoped unique name), the customer ensured as a participant, and the message posted with the customer's
/// address as author. Repeat messages from a known customer cost one call (the post).
/// </summary>
public sealed class InboundConversationRouter
{
    private readonly IConversationsClient conversations;
    private readonly IPhoneNumberNormalizer normalizer;

    /// <summary>Initializes a new instance of the <see cref="InboundConversationRouter"/> class.</summary>
    /// <param name="conversations">The conversations client.</param>
    /// <param name="normalizer">The phone-number normalizer.</param>
    public InboundConversationRouter(IConversationsClient conversations, IPhoneNumberNormalizer normalizer)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        ArgumentNullException.ThrowIfNull(normalizer);
        this.conversations = conversations;
        this.normalizer = normalizer;
    }

    /// <summary>Gets the unique name of the conversation for a customer address: <c>sms:+1415…</c> or <c>whatsapp:+1415…</c>, tenant-scoped when a tenant is given.</summary>
    /// <param name="from">The customer's address as Twilio sent it (<c>+1415…</c> or <c>whatsapp:+1415…</c>).</param>
    /// <param name="tenant">The tenant id, or <see langword="null"/>.</param>
    /// <returns>The unique name.</returns>
    /// <exception cref="ArgumentException"><paramref name="from"/> is not a phone address.</exception>
    public string UniqueNameFor(string from, string? tenant = null)
    {
        var (channel, number) = Parse(from, nameof(from));
        var key = $"{channel}:{number}";
        return tenant is null ? key : ConversationsClientExtensions.TenantUniqueName(tenant, key);
    }

    /// <summary>Routes one inbound message.</summary>
    /// <param name="from">The customer's address as Twilio sent it (<c>From</c>).</param>
    /// <param name="to">The Twilio address it was sent to (<c>To</c>); it becomes the proxy address.</param>
    /// <param name="body">The text, or <see langword="null"/>.</param>
    /// <param name="tenant">The tenant id, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to cancel the calls with.</param>
    /// <returns>The posted message; its <see cref="ConversationMessage.ConversationSid"/> names the conversation.</returns>
    /// <exception cref="ArgumentException"><paramref name="from"/> or <paramref name="to"/> is not a phone address, or their channels differ.</exception>
    public async Task<ConversationMessage> RouteAsync(string from, string to, string? body, string? tenant = null, CancellationToken cancellationToken = default)
    {
        var (channel, customer) = Parse(from, nameof(from));
        var (toChannel, proxy) = Parse(to, nameof(to));
        if (channel != toChannel)
        {
            throw new ArgumentException($"From '{from}' and To '{to}' are on different channels.", nameof(to));
        }

        var uniqueName = UniqueNameFor(from, tenant);
        var conversation = await conversations.GetOrCreateAsync(uniqueName, new ConversationOptions { FriendlyName = uniqueName }, cancellationToken).ConfigureAwait(false);
        var binding = channel == "whatsapp" ? ParticipantBinding.WhatsApp(customer, proxy) : ParticipantBinding.Sms(customer, proxy);
        await conversations.EnsureParticipantAsync(conversation.Value.Sid, binding, cancellationToken: cancellationToken).ConfigureAwait(false);
        var author = channel == "whatsapp" ? "whatsapp:" + customer : customer;
        return await conversations.SendMessageAsync(conversation.Value.Sid, new ConversationMessageRequest { Author = author, Body = body ?? string.Empty }, cancellationToken).ConfigureAwait(false);
    }

    private (string Channel, string Number) Parse(string address, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address, name);
        var channel = address.StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase) ? "whatsapp" : "sms";
        if (!normalizer.TryNormalize(address, null, PhoneNumberParseOptions.None, out var number, out var failure))
        {
            throw new ArgumentException($"'{address}' is not a phone address: {failure.Message}", name);
        }

        return (channel, number.ToString());
    }
}
