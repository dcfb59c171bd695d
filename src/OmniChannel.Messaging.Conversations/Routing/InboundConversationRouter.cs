using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using OmniChannel.Messaging.Conversations.Internal;

namespace OmniChannel.Messaging.Conversations;

/// <summary>
/// Routes an inbound SMS or WhatsApp message into its conversation: one conversation per customer address (a deterministic,
/// optionally tenant-scoped unique name), the customer ensured as a participant, and the message posted with the customer's
/// address as author. Repeat messages from a known customer cost one call (the post).
/// </summary>
public sealed class InboundConversationRouter
{
    /// <summary>The body posted for an inbound message that has media but no text.</summary>
    public const string MediaPlaceholderBody = "[media]";

    /// <summary>The most conversations (generations) one customer can have closed before routing refuses.</summary>
    public const int MaxGenerations = 100;

    // How long a customer stays routed into a conversation found holding their binding, and how many such customers are kept.
    private static readonly TimeSpan HolderCacheDuration = TimeSpan.FromMinutes(10);
    private const int HolderCacheSizeLimit = 10_000;

    private readonly IConversationsClient conversations;
    private readonly IPhoneNumberNormalizer normalizer;
    private readonly ExpiringCache<string> holders;

    /// <summary>Initializes a new instance of the <see cref="InboundConversationRouter"/> class, on the system clock.</summary>
    /// <param name="conversations">The conversations client.</param>
    /// <param name="normalizer">The phone-number normalizer.</param>
    public InboundConversationRouter(IConversationsClient conversations, IPhoneNumberNormalizer normalizer)
        : this(conversations, normalizer, TimeProvider.System)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InboundConversationRouter"/> class.</summary>
    /// <param name="conversations">The conversations client.</param>
    /// <param name="normalizer">The phone-number normalizer.</param>
    /// <param name="timeProvider">The clock that expires the remembered conversations of customers whose binding is held elsewhere.</param>
    public InboundConversationRouter(IConversationsClient conversations, IPhoneNumberNormalizer normalizer, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        ArgumentNullException.ThrowIfNull(normalizer);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.conversations = conversations;
        this.normalizer = normalizer;
        holders = new ExpiringCache<string>(timeProvider, HolderCacheDuration, HolderCacheSizeLimit);
    }

    /// <summary>Gets the unique name of the conversation for a customer address: <c>sms:+1415…</c> or <c>whatsapp:+1415…</c>, tenant-scoped when a tenant is given.</summary>
    /// <param name="from">The customer's address as Twilio sent it (<c>+1415…</c> or <c>whatsapp:+1415…</c>).</param>
    /// <param name="tenant">The tenant id, or <see langword="null"/>.</param>
    /// <returns>The unique name.</returns>
    /// <exception cref="ArgumentException"><paramref name="from"/> is not a phone address.</exception>
    public string UniqueNameFor(string from, string? tenant = null) => UniqueNameFor(from, tenant, 1);

    /// <summary>
    /// Gets the unique name of a customer's conversation of one generation: generation 1 is <see cref="UniqueNameFor(string, string?)"/>;
    /// a later one, used once the earlier ones are closed, appends <c>~</c> and the generation (<c>sms:+1415…~2</c>).
    /// </summary>
    /// <param name="from">The customer's address as Twilio sent it.</param>
    /// <param name="tenant">The tenant id, or <see langword="null"/>.</param>
    /// <param name="generation">The generation, from 1 to <see cref="MaxGenerations"/>.</param>
    /// <returns>The unique name.</returns>
    /// <exception cref="ArgumentException"><paramref name="from"/> is not a phone address.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="generation"/> is out of range.</exception>
    public string UniqueNameFor(string from, string? tenant, int generation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(generation, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(generation, MaxGenerations);
        var (channel, number) = Parse(from, nameof(from));
        return NameFor(channel, number, tenant, generation);
    }

    /// <summary>Routes one inbound message.</summary>
    /// <param name="from">The customer's address as Twilio sent it (<c>From</c>).</param>
    /// <param name="to">The Twilio address it was sent to (<c>To</c>); it becomes the proxy address.</param>
    /// <param name="body">The text, or <see langword="null"/>.</param>
    /// <param name="tenant">The tenant id, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to cancel the calls with.</param>
    /// <returns>The posted message; its <see cref="ConversationMessage.ConversationSid"/> names the conversation.</returns>
    /// <exception cref="ArgumentException"><paramref name="from"/> or <paramref name="to"/> is not a phone address, or their channels differ.</exception>
    public Task<ConversationMessage> RouteAsync(string from, string to, string? body, string? tenant = null, CancellationToken cancellationToken = default) =>
        RouteAsync(new InboundConversationMessage(from, to) { Body = body, Tenant = tenant }, cancellationToken);

    /// <summary>
    /// Routes one inbound message: get-or-create the customer's conversation, ensure the customer as a participant, post
    /// the message with the customer as author.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item>A conversation that is gone (404, deleted elsewhere) is evicted from the caches and the whole route runs once
    /// more, which creates a fresh conversation.</item>
    /// <item>A closed conversation takes no messages and cannot be reopened, so the customer gets the next generation:
    /// unique names <c>sms:+1415…</c>, then <c>sms:+1415…~2</c>, <c>~3</c>, … (see <see cref="UniqueNameFor(string, string?, int)"/>).
    /// Closed generations stay cached, so skipping them costs calls only after a restart or once the cache expires.</item>
    /// <item>When the customer's address and proxy pair is already bound in another open conversation (one created outside
    /// the router, or a generation the router re-created after the one holding the binding was deleted), ensuring the
    /// customer throws <see cref="ParticipantConflictException"/> naming it: the message is posted into that conversation
    /// instead, and the customer's messages keep going there (remembered for 10 minutes, or until it is closed or deleted).
    /// When Twilio's answer and the lookup cannot name that conversation, the exception surfaces.</item>
    /// <item>When the posted message comes back without a participant SID, the cached participant was removed elsewhere:
    /// it is evicted and ensured again, so the next message is linked (this one stays posted).</item>
    /// <item>Conversations attaches media only by Media Content Service SID (an upload), not by URL, so inbound media is
    /// not re-uploaded: its URLs and content types go into the message attributes as
    /// <c>{"media":[{"url":…,"contentType":…}]}</c>, and a media-only message gets the body <see cref="MediaPlaceholderBody"/>.</item>
    /// </list>
    /// </remarks>
    /// <param name="message">The inbound message.</param>
    /// <param name="cancellationToken">The token to cancel the calls with.</param>
    /// <returns>The posted message; its <see cref="ConversationMessage.ConversationSid"/> names the conversation.</returns>
    /// <exception cref="ArgumentException">The addresses are not phone addresses, or their channels differ.</exception>
    /// <exception cref="InvalidOperationException">The customer has closed <see cref="MaxGenerations"/> conversations.</exception>
    /// <exception cref="ParticipantConflictException">The customer's pair is bound in another open conversation that could not be named.</exception>
    public async Task<ConversationMessage> RouteAsync(InboundConversationMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var (channel, customer) = Parse(message.From, nameof(message));
        var (toChannel, proxy) = Parse(message.To, nameof(message));
        if (channel != toChannel)
        {
            throw new ArgumentException($"From '{message.From}' and To '{message.To}' are on different channels.", nameof(message));
        }

        var binding = channel == "whatsapp" ? ParticipantBinding.WhatsApp(customer, proxy) : ParticipantBinding.Sms(customer, proxy);
        var author = channel == "whatsapp" ? "whatsapp:" + customer : customer;
        var request = new ConversationMessageRequest
        {
            Author = author,
            Body = string.IsNullOrEmpty(message.Body) && message.Media.Count > 0 ? MediaPlaceholderBody : message.Body ?? string.Empty,
            Attributes = MediaAttributes(message.Media),
        };

        // The addresses are parsed once, above; every unique name below is built from the parsed number.
        // The holder is remembered per binding (customer and the Twilio number written to), as Twilio binds the pair.
        var firstName = NameFor(channel, customer, message.Tenant, 1);
        var customerKey = firstName + "|" + proxy;
        for (var attempt = 0; ; attempt++)
        {
            var conversationSid = holders.TryGet(customerKey, out var held)
                ? held
                : (await CurrentConversationAsync(message, channel, customer, firstName, cancellationToken).ConfigureAwait(false)).Sid;
            try
            {
                EnsureResult<Participant> participant;
                try
                {
                    participant = await conversations.EnsureParticipantAsync(conversationSid, binding, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (ParticipantConflictException conflict) when (conflict.ConflictingConversationSid is { } holder && holder != conversationSid)
                {
                    // The pair is bound in another open conversation: the customer's thread is there. Post there, and keep
                    // routing there while it stays open (the conversation found here is left as it is).
                    holders.Set(customerKey, holder);
                    conversationSid = holder;
                    participant = await conversations.EnsureParticipantAsync(conversationSid, binding, cancellationToken: cancellationToken).ConfigureAwait(false);
                }

                var posted = await conversations.SendMessageAsync(conversationSid, request, cancellationToken).ConfigureAwait(false);
                if (posted.ParticipantSid is null)
                {
                    // The author is no participant: the cached one was removed elsewhere. Add it back for the next message.
                    await conversations.EvictCachedAsync(participant.Value.Sid, cancellationToken).ConfigureAwait(false);
                    await conversations.EnsureParticipantAsync(conversationSid, binding, cancellationToken: cancellationToken).ConfigureAwait(false);
                }

                return posted;
            }
            catch (TwilioApiException exception) when (attempt == 0 && exception.Status == HttpStatusCode.NotFound)
            {
                // Deleted elsewhere: the client evicted it on the 404; make sure, and route once more (a fresh conversation).
                holders.Remove(customerKey);
                await conversations.EvictCachedAsync(conversationSid, cancellationToken).ConfigureAwait(false);
            }
            catch (TwilioApiException exception) when (attempt == 0 && (int)exception.Status is >= 400 and < 500
                && exception.Status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests))
            {
                // Refused: when the conversation was closed meanwhile, the fresh state moves the customer to the next generation.
                var fresh = await conversations.GetAsync(conversationSid, cancellationToken).ConfigureAwait(false);
                if (fresh is not null && fresh.State != ConversationState.Closed)
                {
                    throw;
                }

                holders.Remove(customerKey);
            }
        }
    }

    private static JsonAttributes? MediaAttributes(IReadOnlyList<InboundConversationMedia> media)
    {
        if (media.Count == 0)
        {
            return null;
        }

        var items = new JsonArray();
        foreach (var item in media)
        {
            items.Add((JsonNode)new JsonObject { ["url"] = item.Url.ToString(), ["contentType"] = item.ContentType });
        }

        return JsonAttributes.FromJsonNode(new JsonObject { ["media"] = items });
    }

    // The customer's open conversation: generation 1 is the plain unique name, later ones carry "~n". A closed one is skipped.
    private async Task<Conversation> CurrentConversationAsync(InboundConversationMessage message, string channel, string customer, string firstName, CancellationToken cancellationToken)
    {
        var options = new ConversationOptions { FriendlyName = firstName };
        for (var generation = 1; generation <= MaxGenerations; generation++)
        {
            var uniqueName = generation == 1 ? firstName : NameFor(channel, customer, message.Tenant, generation);
            var result = await conversations.GetOrCreateAsync(uniqueName, options, cancellationToken).ConfigureAwait(false);
            if (result.Value.State != ConversationState.Closed)
            {
                return result.Value;
            }
        }

        throw new InvalidOperationException($"The customer {message.From} has {MaxGenerations} closed conversations; delete old ones or route with another tenant key.");
    }

    // The unique name of one generation of a customer's conversation, from an already parsed channel and E.164 number.
    private static string NameFor(string channel, string number, string? tenant, int generation)
    {
        var key = generation == 1 ? $"{channel}:{number}" : $"{channel}:{number}~{generation.ToString(CultureInfo.InvariantCulture)}";
        return tenant is null ? key : ConversationsClientExtensions.TenantUniqueName(tenant, key);
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
