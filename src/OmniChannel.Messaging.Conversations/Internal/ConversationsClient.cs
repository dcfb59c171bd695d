using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Xml;
using Microsoft.Extensions.Logging;

namespace OmniChannel.Messaging.Conversations.Internal;

/// <summary>The Conversations v1 client over one account's transport.</summary>
internal sealed class ConversationsClient : IConversationsClient
{
    private const string ConversationRoute = "/Conversations/{ConversationSid}";
    private const int ParticipantExists = 50433;
    private const int GroupParticipantExists = 50437;
    private const int BindingInUse = 50416;
    private const int ConflictingModification = 50391;
    private const int ConversationAttributesLimit = 16 * 1024;
    private const int ParticipantAttributesLimit = 4 * 1024;
    private const int MessageAttributesLimit = 4 * 1024;

    private readonly TwilioApiClient twilio;
    private readonly ConversationsOptions options;
    private readonly IPhoneNumberNormalizer normalizer;
    private readonly IConversationUniqueNameStore uniqueNames;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly string prefix;
    private readonly string routePrefix;
    private readonly string scope;
    private readonly ExpiringCache<Conversation> snapshots;
    private readonly ExpiringCache<Participant> participants;
    private readonly ConcurrentDictionary<string, Flight> flights = new(StringComparer.Ordinal);
    private readonly KeyedLock conversationLocks;
    private bool webhooks; // set once, in the constructor or on a fresh WithWebhooks view

    public ConversationsClient(
        TwilioApiClient twilio,
        ConversationsOptions options,
        IPhoneNumberNormalizer normalizer,
        IConversationUniqueNameStore uniqueNames,
        TimeProvider timeProvider,
        ILogger logger)
    {
        this.twilio = twilio;
        this.options = options;
        this.normalizer = normalizer;
        this.uniqueNames = uniqueNames;
        this.timeProvider = timeProvider;
        this.logger = logger;
        prefix = options.ServiceSid is null ? "/v1" : $"/v1/Services/{options.ServiceSid}";
        routePrefix = options.ServiceSid is null ? "/v1" : "/v1/Services/{ServiceSid}";
        scope = $"{twilio.AccountSid}/{options.ServiceSid ?? "default"}/";
        snapshots = new ExpiringCache<Conversation>(timeProvider, options.UniqueNameCacheDuration, options.CacheSizeLimit);
        participants = new ExpiringCache<Participant>(timeProvider, options.ParticipantCacheDuration, options.CacheSizeLimit);
        conversationLocks = new KeyedLock();
        webhooks = options.EnableWebhooks;
    }

    /// <summary>Gets the number of unique names cached in this process (for tests of the bound and the sweep).</summary>
    internal int CachedConversationCount => snapshots.Count;

    /// <summary>Gets the number of participants cached in this process.</summary>
    internal int CachedParticipantCount => participants.Count;

    public IConversationsClient WithWebhooks(bool enabled)
    {
        if (enabled == webhooks)
        {
            return this;
        }

        // A view with its own webhook setting; everything else (caches, flights, locks) is the same objects.
        var view = (ConversationsClient)MemberwiseClone();
        view.webhooks = enabled;
        return view;
    }

    public async ValueTask EvictCachedAsync(string sidOrUniqueName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sidOrUniqueName);
        if (TwilioSid.IsValid(sidOrUniqueName, "CH"))
        {
            await EvictConversationAsync(sidOrUniqueName, cancellationToken).ConfigureAwait(false);
        }
        else if (TwilioSid.IsValid(sidOrUniqueName, "MB"))
        {
            participants.RemoveTagged(sidOrUniqueName);
        }
        else
        {
            CheckUniqueName(sidOrUniqueName);
            var key = scope + sidOrUniqueName;
            if (snapshots.TryGet(key, out var cached))
            {
                // Drops the SID's cache entries, this name's snapshot among them; the store row goes once, below.
                await EvictConversationAsync(cached.Sid, cancellationToken, removeFromStore: false).ConfigureAwait(false);
            }
            else
            {
                snapshots.Remove(key);
            }

            await StoreRemoveAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<Conversation> CreateAsync(string? uniqueName, ConversationOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (uniqueName is not null)
        {
            CheckUniqueName(uniqueName);
        }

        CheckOptions(options);

        // Not repeated after a 5xx or a timeout: the first POST may have been committed, and a plain create must not turn
        // that into a 409 (50353) for a conversation that exists. GetOrCreateAsync is the call that resolves such a repeat.
        var request = CreateRequest(uniqueName, options, safeToRetry: false);
        var conversation = (await twilio.SendAsync(request, ConversationsJsonContext.Default.ConversationDto, cancellationToken).ConfigureAwait(false)).ToModel();
        Remember(conversation);
        return conversation;
    }

    public async Task<EnsureResult<Conversation>> GetOrCreateAsync(string uniqueName, ConversationOptions? options = null, CancellationToken cancellationToken = default)
    {
        CheckUniqueName(uniqueName);

        // Each caller's settings are checked here, before the cache and before joining a shared flight, so one caller's bad
        // timers fail that caller only (and fail it even when the conversation is cached).
        CheckOptions(options);
        var key = scope + uniqueName;
        if (snapshots.TryGet(key, out var cached))
        {
            return new EnsureResult<Conversation>(cached, created: false);
        }

        // Single flight: concurrent callers for one unique name share one operation. The operation does not take any one
        // caller's token, so a caller that gives up does not fail the others; each caller stops waiting on its own token.
        // Only the caller that started the flight is credited with a creation; a joiner gets the same conversation with
        // Created == false, so "on Created, send a welcome" runs once. When the starter stops waiting (its token), the credit
        // passes to the first joiner that gets the result.
        Flight flight;
        bool joined;
        while (true)
        {
            if (flights.TryGetValue(key, out var running))
            {
                flight = running;
                joined = true;
                break;
            }

            var started = new Flight();
            if (flights.TryAdd(key, started))
            {
                flight = started;
                joined = false;
                _ = RunFlightAsync(key, uniqueName, options, started);
                break;
            }
        }

        EnsureResult<Conversation> result;
        try
        {
            result = await flight.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!joined && cancellationToken.IsCancellationRequested)
        {
            flight.GiveUpCredit();
            throw;
        }

        return !result.Created || !joined || flight.TryTakeCredit() ? result : new EnsureResult<Conversation>(result.Value, created: false);
    }

    public async Task<Conversation?> GetAsync(string sidOrUniqueName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sidOrUniqueName);
        if (sidOrUniqueName.StartsWith("CH", StringComparison.Ordinal) && sidOrUniqueName.Length == TwilioSid.Length)
        {
            TwilioSid.ThrowIfInvalid(sidOrUniqueName, "CH");
        }

        var conversation = await FetchAsync(sidOrUniqueName, cancellationToken).ConfigureAwait(false);
        if (conversation is not null)
        {
            Remember(conversation);
        }
        else
        {
            await EvictCachedAsync(sidOrUniqueName, cancellationToken).ConfigureAwait(false);
        }

        return conversation;
    }

    public async Task<Conversation> UpdateAsync(string conversationSid, ConversationUpdate update, CancellationToken cancellationToken = default)
    {
        TwilioSid.ThrowIfInvalid(conversationSid, "CH");
        ArgumentNullException.ThrowIfNull(update);
        if (update.UniqueName is not null)
        {
            CheckUniqueName(update.UniqueName);
        }

        CheckAttributes(update.Attributes, ConversationAttributesLimit, "conversation", nameof(update));
        var request = Request(HttpMethod.Post, $"/Conversations/{conversationSid}", ConversationRoute)
            .AddForm("FriendlyName", update.FriendlyName)
            .AddForm("UniqueName", update.UniqueName)
            .AddForm("Attributes", update.Attributes?.Json)
            .AddForm("MessagingServiceSid", CheckOptionalSid(update.MessagingServiceSid, "MG", nameof(update.MessagingServiceSid)))
            .AddForm("State", CheckRequestedState(update.State, nameof(update.State)))
            .AddForm("Timers.Inactive", Duration(update.InactiveAfter, TimeSpan.FromMinutes(1), nameof(update.InactiveAfter)))
            .AddForm("Timers.Closed", Duration(update.CloseAfter, TimeSpan.FromMinutes(10), nameof(update.CloseAfter)));
        AddWebhookHeader(request);
        await EvictConversationAsync(conversationSid, cancellationToken, removeFromStore: update.UniqueName is not null).ConfigureAwait(false);
        var conversation = (await OnConversationAsync(conversationSid, () => twilio.SendAsync(request, ConversationsJsonContext.Default.ConversationDto, cancellationToken), cancellationToken).ConfigureAwait(false)).ToModel();
        Remember(conversation);
        return conversation;
    }

    public async Task<bool> DeleteAsync(string conversationSid, CancellationToken cancellationToken = default)
    {
        TwilioSid.ThrowIfInvalid(conversationSid, "CH");
        var request = Request(HttpMethod.Delete, $"/Conversations/{conversationSid}", ConversationRoute);
        AddWebhookHeader(request);
        await EvictConversationAsync(conversationSid, cancellationToken).ConfigureAwait(false);
        return await DeleteOrFalseAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<Conversation> ListAsync(ConversationState? state = null, int? pageSize = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = Request(HttpMethod.Get, "/Conversations", "/Conversations")
            .AddQuery("State", state?.ToString())
            .AddQuery("PageSize", PageSize(pageSize, 100));
        await foreach (var dto in twilio.ListAsync(request, "conversations", ConversationsJsonContext.Default.ConversationDto, cancellationToken).ConfigureAwait(false))
        {
            yield return dto.ToModel();
        }
    }

    public async Task<Participant> AddParticipantAsync(string conversationSid, ParticipantBinding binding, JsonAttributes? attributes = null, CancellationToken cancellationToken = default)
    {
        TwilioSid.ThrowIfInvalid(conversationSid, "CH");
        var normalized = Normalize(binding);
        CheckAttributes(attributes, ParticipantAttributesLimit, "participant", nameof(attributes));
        var participant = await CreateParticipantAsync(conversationSid, normalized, attributes, cancellationToken).ConfigureAwait(false);
        RememberParticipant(conversationSid, normalized, participant);
        return participant;
    }

    public async Task<EnsureResult<Participant>> EnsureParticipantAsync(string conversationSid, ParticipantBinding binding, JsonAttributes? attributes = null, CancellationToken cancellationToken = default)
    {
        TwilioSid.ThrowIfInvalid(conversationSid, "CH");
        var normalized = Normalize(binding);
        CheckAttributes(attributes, ParticipantAttributesLimit, "participant", nameof(attributes));
        var key = ParticipantKey(conversationSid, normalized);
        if (participants.TryGet(key, out var known))
        {
            return new EnsureResult<Participant>(known, created: false);
        }

        // One ensure at a time per conversation, so a burst of routing calls for one thread adds nobody twice.
        using (await conversationLocks.AcquireAsync(conversationSid, cancellationToken).ConfigureAwait(false))
        {
            if (participants.TryGet(key, out known))
            {
                return new EnsureResult<Participant>(known, created: false);
            }

            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    var created = await CreateParticipantAsync(conversationSid, normalized, attributes, cancellationToken).ConfigureAwait(false);
                    RememberParticipant(conversationSid, normalized, created);
                    return new EnsureResult<Participant>(created, created: true);
                }
                catch (TwilioApiException exception) when (exception.Status == HttpStatusCode.Conflict)
                {
                    switch (exception.ErrorCode)
                    {
                        case ConflictingModification when attempt < options.ConflictRetries:
                            await BackOffAsync(conversationSid, attempt, cancellationToken).ConfigureAwait(false);
                            continue;
                        case ConflictingModification:
                            // Retries used up: Twilio's own answer, never a binding conflict (nothing says the binding is taken).
                            throw;
                        case BindingInUse when normalized.Kind != ParticipantBindingKind.Chat:
                            // Twilio also answers 50416 when the pair is bound in this very conversation. So when the answer
                            // names this conversation, or names none and no other open conversation holds the pair, the
                            // participant is looked up here and, when it has this binding, it is the ensured participant.
                            var namesThis = NamesConversation(exception.TwilioMessage, conversationSid);
                            var other = ConversationSidIn(exception.TwilioMessage, conversationSid)
                                        ?? (namesThis ? null : await FindBindingOwnerAsync(conversationSid, normalized, cancellationToken).ConfigureAwait(false));
                            if (other is null && await FindAsync(conversationSid, normalized, cancellationToken).ConfigureAwait(false) is { } here && normalized.Matches(here))
                            {
                                ConversationsLog.ParticipantExisted(logger, normalized.ToString(), conversationSid, here.Sid, exception.ErrorCode);
                                RememberParticipant(conversationSid, normalized, here);
                                return new EnsureResult<Participant>(here, created: false);
                            }

                            if (other is null && namesThis)
                            {
                                // Named here yet not here (removed meanwhile?): still try to name the real owner.
                                other = await FindBindingOwnerAsync(conversationSid, normalized, cancellationToken).ConfigureAwait(false);
                            }

                            ConversationsLog.ParticipantConflict(logger, normalized.ToString(), conversationSid, other, exception.ErrorCode);
                            throw new ParticipantConflictException(conversationSid, normalized.Address!, normalized.ProxyAddress, other, exception);
                        case ParticipantExists or GroupParticipantExists:
                            var existing = await FindAsync(conversationSid, normalized, cancellationToken).ConfigureAwait(false);
                            if (existing is not null)
                            {
                                if (!normalized.Matches(existing))
                                {
                                    ConversationsLog.ParticipantConflict(logger, normalized.ToString(), conversationSid, conversationSid, exception.ErrorCode);
                                    throw new ParticipantConflictException(conversationSid, normalized.Address ?? normalized.Identity!, normalized.ProxyAddress, conversationSid, exception);
                                }

                                ConversationsLog.ParticipantExisted(logger, normalized.ToString(), conversationSid, existing.Sid, exception.ErrorCode);
                                RememberParticipant(conversationSid, normalized, existing);
                                return new EnsureResult<Participant>(existing, created: false);
                            }

                            // Twilio said the participant exists, yet it is gone now (removed meanwhile): add it again, a
                            // bounded number of times; then Twilio's own answer surfaces.
                            if (attempt >= options.ConflictRetries)
                            {
                                throw;
                            }

                            continue;
                        default:
                            throw;
                    }
                }
            }
        }
    }

    public Task<Participant?> FindParticipantAsync(string conversationSid, string address, CancellationToken cancellationToken = default)
    {
        TwilioSid.ThrowIfInvalid(conversationSid, "CH");
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        if (!ChannelAddress.TryParse(address, options.DefaultRegion, out var parsed, out var error))
        {
            throw new ArgumentException($"'{address}' is not a participant address: {error.Message}", nameof(address));
        }

        return parsed.Kind == ChannelKind.Chat
            ? FindAsync(conversationSid, new NormalizedBinding(ParticipantBindingKind.Chat, parsed.Identity, null, null), cancellationToken)
            : FindByAddressAsync(conversationSid, parsed.ToString(), cancellationToken);
    }

    public async Task<Participant?> FindParticipantAsync(string conversationSid, ParticipantBinding binding, CancellationToken cancellationToken = default)
    {
        TwilioSid.ThrowIfInvalid(conversationSid, "CH");
        var normalized = Normalize(binding);
        var found = await FindAsync(conversationSid, normalized, cancellationToken).ConfigureAwait(false);
        return found is not null && normalized.Matches(found) ? found : null;
    }

    public async Task<Participant> UpdateParticipantAsync(string conversationSid, string participantSid, ParticipantUpdate update, CancellationToken cancellationToken = default)
    {
        TwilioSid.ThrowIfInvalid(conversationSid, "CH");
        TwilioSid.ThrowIfInvalid(participantSid, "MB");
        ArgumentNullException.ThrowIfNull(update);
        CheckAttributes(update.Attributes, ParticipantAttributesLimit, "participant", nameof(update));
        var request = Request(HttpMethod.Post, $"/Conversations/{conversationSid}/Participants/{participantSid}", ConversationRoute + "/Participants/{ParticipantSid}")
            .AddForm("Attributes", update.Attributes?.Json)
            .AddForm("RoleSid", CheckOptionalSid(update.RoleSid, "RL", nameof(update.RoleSid)))
            .AddForm("LastReadMessageIndex", update.LastReadMessageIndex);
        AddWebhookHeader(request);
        participants.RemoveTagged(participantSid);
        try
        {
            return (await twilio.SendAsync(request, ConversationsJsonContext.Default.ParticipantDto, cancellationToken).ConfigureAwait(false)).ToModel();
        }
        catch (TwilioApiException exception) when (exception.Status == HttpStatusCode.NotFound)
        {
            // The participant (or its conversation) is gone: its cache entry is already dropped, so the next ensure adds it.
            ConversationsLog.ParticipantGone(logger, conversationSid, participantSid);
            throw;
        }
    }

    public async Task<bool> RemoveParticipantAsync(string conversationSid, string participantSid, CancellationToken cancellationToken = default)
    {
        TwilioSid.ThrowIfInvalid(conversationSid, "CH");
        TwilioSid.ThrowIfInvalid(participantSid, "MB");
        var request = Request(HttpMethod.Delete, $"/Conversations/{conversationSid}/Participants/{participantSid}", ConversationRoute + "/Participants/{ParticipantSid}");
        AddWebhookHeader(request);
        participants.RemoveTagged(participantSid);
        return await DeleteOrFalseAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public IAsyncEnumerable<Participant> ListParticipantsAsync(string conversationSid, CancellationToken cancellationToken = default)
    {
        TwilioSid.ThrowIfInvalid(conversationSid, "CH");
        return ListParticipantsCoreAsync(conversationSid, cancellationToken);
    }

    public async Task<ConversationMessage> SendMessageAsync(string conversationSid, ConversationMessageRequest message, CancellationToken cancellationToken = default)
    {
        TwilioSid.ThrowIfInvalid(conversationSid, "CH");
        ArgumentNullException.ThrowIfNull(message);
        if (message.Body is null && message.MediaSid is null && message.ContentSid is null)
        {
            throw new ArgumentException("A conversation message needs a Body, a MediaSid or a ContentSid.", nameof(message));
        }

        if (message.Body is { Length: > 1600 })
        {
            throw new ArgumentException($"The message body has {message.Body.Length} characters; Twilio accepts at most 1,600.", nameof(message));
        }

        if (message.ContentVariables is not null && message.ContentSid is null)
        {
            throw new ArgumentException("ContentVariables need a ContentSid (HX…).", nameof(message));
        }

        CheckAttributes(message.Attributes, MessageAttributesLimit, "message", nameof(message));

        var request = Request(HttpMethod.Post, $"/Conversations/{conversationSid}/Messages", ConversationRoute + "/Messages")
            .AddForm("Author", message.Author)
            .AddForm("Body", message.Body)
            .AddForm("MediaSid", CheckOptionalSid(message.MediaSid, "ME", nameof(message.MediaSid)))
            .AddForm("ContentSid", CheckOptionalSid(message.ContentSid, "HX", nameof(message.ContentSid)))
            .AddForm("ContentVariables", message.ContentVariables is null ? null : JsonSerializer.Serialize(
                message.ContentVariables as Dictionary<string, string> ?? new Dictionary<string, string>(message.ContentVariables),
                ConversationsJsonContext.Default.DictionaryStringString))
            .AddForm("Attributes", message.Attributes?.Json)
            .AddForm("Subject", message.Subject);
        AddWebhookHeader(request);
        return (await OnConversationAsync(conversationSid, () => twilio.SendAsync(request, ConversationsJsonContext.Default.MessageDto, cancellationToken), cancellationToken).ConfigureAwait(false)).ToModel();
    }

    public async Task<ConversationMessage?> GetMessageAsync(string conversationSid, string messageSid, CancellationToken cancellationToken = default)
    {
        TwilioSid.ThrowIfInvalid(conversationSid, "CH");
        TwilioSid.ThrowIfInvalid(messageSid, "IM");
        var request = Request(HttpMethod.Get, $"/Conversations/{conversationSid}/Messages/{messageSid}", ConversationRoute + "/Messages/{MessageSid}");
        var dto = await GetOrNullAsync(request, ConversationsJsonContext.Default.MessageDto, cancellationToken).ConfigureAwait(false);
        return dto?.ToModel();
    }

    public IAsyncEnumerable<ConversationMessage> ListMessagesAsync(string conversationSid, MessageOrder order = MessageOrder.Ascending, int? pageSize = null, CancellationToken cancellationToken = default)
    {
        TwilioSid.ThrowIfInvalid(conversationSid, "CH");
        if (!Enum.IsDefined(order))
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, "The order must be Ascending or Descending.");
        }

        var request = Request(HttpMethod.Get, $"/Conversations/{conversationSid}/Messages", ConversationRoute + "/Messages")
            .AddQuery("Order", order == MessageOrder.Descending ? "desc" : "asc")
            .AddQuery("PageSize", PageSize(pageSize, 100));
        return ListMessagesCoreAsync(request, cancellationToken);
    }

    public async Task<bool> DeleteMessageAsync(string conversationSid, string messageSid, CancellationToken cancellationToken = default)
    {
        TwilioSid.ThrowIfInvalid(conversationSid, "CH");
        TwilioSid.ThrowIfInvalid(messageSid, "IM");
        var request = Request(HttpMethod.Delete, $"/Conversations/{conversationSid}/Messages/{messageSid}", ConversationRoute + "/Messages/{MessageSid}");
        AddWebhookHeader(request);
        return await DeleteOrFalseAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private TwilioRequest Request(HttpMethod method, string path, string route, bool safeToRetry = false) =>
        new(method, TwilioProduct.Conversations, prefix + path)
        {
            RouteTemplate = routePrefix + route,
            IsSafeToRetry = safeToRetry || method == HttpMethod.Get || method == HttpMethod.Delete,
        };

    private static void CheckUniqueName(string uniqueName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uniqueName);

        // Twilio resolves /Conversations/{x} as a SID first, so a unique name shaped like a SID could never be fetched by name.
        if (TwilioSid.IsValid(uniqueName, "CH"))
        {
            throw new ArgumentException($"The unique name '{uniqueName}' looks like a conversation SID; choose a name Twilio cannot mistake for one.", nameof(uniqueName));
        }
    }

    private static string? CheckOptionalSid(string? sid, string prefix, string name)
    {
        if (sid is not null && !TwilioSid.IsValid(sid, prefix))
        {
            throw new ArgumentException(TwilioSid.Describe(sid, prefix), name);
        }

        return sid;
    }

    private static string? Duration(TimeSpan? value, TimeSpan minimum, string name)
    {
        if (value is null)
        {
            return null;
        }

        if (value < minimum)
        {
            throw new ArgumentOutOfRangeException(name, value, $"Twilio needs at least {minimum} for this timer.");
        }

        return XmlConvert.ToString(value.Value);
    }

    private static string? PageSize(int? pageSize, int max)
    {
        if (pageSize is null)
        {
            return null;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize.Value, 1, nameof(pageSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize.Value, max, nameof(pageSize));
        return pageSize.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    // Twilio's 50416 message names the conversation that holds the binding ("… already exists in Conversation CH…").
    private static string? ConversationSidIn(string? message, string conversationSid)
    {
        if (message is null)
        {
            return null;
        }

        for (var i = message.IndexOf("CH", StringComparison.Ordinal); i >= 0 && i + TwilioSid.Length <= message.Length; i = message.IndexOf("CH", i + 2, StringComparison.Ordinal))
        {
            var candidate = message.Substring(i, TwilioSid.Length);
            if (TwilioSid.IsValid(candidate, "CH") && candidate != conversationSid)
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool NamesConversation(string? message, string conversationSid) =>
        message is not null && message.Contains(conversationSid, StringComparison.Ordinal);

    private static string ParticipantKey(string conversationSid, NormalizedBinding binding) => conversationSid + "|" + binding.Key;

    private static void CheckOptions(ConversationOptions? settings)
    {
        if (settings is null)
        {
            return;
        }

        CheckOptionalSid(settings.MessagingServiceSid, "MG", nameof(ConversationOptions.MessagingServiceSid));
        Duration(settings.InactiveAfter, TimeSpan.FromMinutes(1), nameof(ConversationOptions.InactiveAfter));
        Duration(settings.CloseAfter, TimeSpan.FromMinutes(10), nameof(ConversationOptions.CloseAfter));
        CheckAttributes(settings.Attributes, ConversationAttributesLimit, "conversation", "options");
    }

    /// <summary>
    /// Twilio reports a conversation as initializing but a request may only ask for active, inactive or closed (the spec's
    /// enum; anything else is refused), so anything else fails here, before any call.
    /// </summary>
    private static string? CheckRequestedState(ConversationState? state, string name)
    {
        if (state is not { } value)
        {
            return null;
        }

        if (value != ConversationState.Active && value != ConversationState.Inactive && value != ConversationState.Closed)
        {
            throw new ArgumentException($"A conversation can be set to active, inactive or closed, not '{value}'.", name);
        }

        return value.ToString().ToLowerInvariant();
    }

    private static void CheckAttributes(JsonAttributes? attributes, int limit, string what, string name)
    {
        if (attributes is { } value && System.Text.Encoding.UTF8.GetByteCount(value.Json) is var size && size > limit)
        {
            throw new ArgumentException($"The {what} attributes are {size:N0} bytes of JSON; Twilio accepts at most {limit:N0} bytes ({limit / 1024} KB).", name);
        }
    }

    private TwilioRequest CreateRequest(string? uniqueName, ConversationOptions? settings, bool safeToRetry)
    {
        // Only get-or-create repeats a create after an ambiguous failure: its repeat may get 50353, which it resolves by a fetch.
        var request = Request(HttpMethod.Post, "/Conversations", "/Conversations", safeToRetry: safeToRetry)
            .AddForm("UniqueName", uniqueName)
            .AddForm("FriendlyName", settings?.FriendlyName)
            .AddForm("Attributes", settings?.Attributes?.Json)
            .AddForm("MessagingServiceSid", CheckOptionalSid(settings?.MessagingServiceSid, "MG", nameof(ConversationOptions.MessagingServiceSid)))
            .AddForm("State", CheckRequestedState(settings?.State, nameof(ConversationOptions.State)))
            .AddForm("Timers.Inactive", Duration(settings?.InactiveAfter, TimeSpan.FromMinutes(1), nameof(ConversationOptions.InactiveAfter)))
            .AddForm("Timers.Closed", Duration(settings?.CloseAfter, TimeSpan.FromMinutes(10), nameof(ConversationOptions.CloseAfter)));
        AddWebhookHeader(request);
        return request;
    }

    private async Task RunFlightAsync(string key, string uniqueName, ConversationOptions? settings, Flight flight)
    {
        try
        {
            flight.Completion.SetResult(await GetOrCreateCoreAsync(key, uniqueName, settings).ConfigureAwait(false));
        }
        catch (Exception exception)
        {
            flight.Completion.SetException(exception);
        }
        finally
        {
            flights.TryRemove(KeyValuePair.Create(key, flight));
        }
    }

    /// <summary>One shared get-or-create operation, and who is credited with its creation.</summary>
    private sealed class Flight
    {
        private const int Undecided = 0;
        private const int Taken = 1;
        private const int GivenUp = 2;
        private int credit;

        public TaskCompletionSource<EnsureResult<Conversation>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // The starter stopped waiting: the credit is free for one joiner.
        public void GiveUpCredit() => Interlocked.CompareExchange(ref credit, GivenUp, Undecided);

        public bool TryTakeCredit() => Interlocked.CompareExchange(ref credit, Taken, GivenUp) == GivenUp;
    }

    private async Task<EnsureResult<Conversation>> GetOrCreateCoreAsync(string key, string uniqueName, ConversationOptions? settings)
    {
        var cancellationToken = CancellationToken.None;

        // A shared store (another instance may have filled it) saves the create-409-fetch round trip. A stale SID (404,
        // or a conversation renamed since) is evicted and the create path runs once.
        if (await StoreGetAsync(key, cancellationToken).ConfigureAwait(false) is { } storedSid)
        {
            var stored = TwilioSid.IsValid(storedSid, "CH") ? await FetchAsync(storedSid, cancellationToken).ConfigureAwait(false) : null;
            if (stored is not null && stored.UniqueName == uniqueName)
            {
                Remember(stored);
                return new EnsureResult<Conversation>(stored, created: false);
            }

            ConversationsLog.CachedConversationGone(logger, uniqueName, storedSid);
            await StoreRemoveAsync(key, cancellationToken).ConfigureAwait(false);
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var created = (await twilio.SendAsync(CreateRequest(uniqueName, settings, safeToRetry: true), ConversationsJsonContext.Default.ConversationDto, cancellationToken).ConfigureAwait(false)).ToModel();
                await RememberAsync(key, created).ConfigureAwait(false);
                return new EnsureResult<Conversation>(created, created: true);
            }
            catch (TwilioApiException exception) when (exception.Status == HttpStatusCode.Conflict)
            {
                if (exception.ErrorCode == ConflictingModification && attempt < options.ConflictRetries)
                {
                    await BackOffAsync(uniqueName, attempt, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                // 50353 (or another 409 for the name): somebody else created it first. Fetch it by unique name.
                var existing = await FetchAsync(uniqueName, cancellationToken).ConfigureAwait(false);
                if (existing is not null)
                {
                    ConversationsLog.UniqueNameExisted(logger, uniqueName, existing.Sid);
                    await RememberAsync(key, existing).ConfigureAwait(false);
                    return new EnsureResult<Conversation>(existing, created: false);
                }

                // Deleted between the 409 and the fetch: create again, a bounded number of times.
                if (attempt >= options.ConflictRetries)
                {
                    throw;
                }
            }
        }
    }

    private async Task RememberAsync(string key, Conversation conversation)
    {
        snapshots.Set(key, conversation, conversation.Sid);
        if (options.UniqueNameCacheDuration > TimeSpan.Zero)
        {
            try
            {
                await uniqueNames.SetAsync(key, conversation.Sid, options.UniqueNameCacheDuration, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // The conversation exists at Twilio; a store that cannot remember it costs a create-409-fetch later, no more.
                ConversationsLog.UniqueNameStoreFailed(logger, "set", key, exception);
            }
        }
    }

    // The store is a cache: when it fails, the failure is logged and get-or-create carries on as if it held nothing
    // (create, and on 409 fetch by unique name). A cancellation by the caller's own token still surfaces.
    private async Task<string?> StoreGetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await uniqueNames.GetAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            ConversationsLog.UniqueNameStoreFailed(logger, "get", key, exception);
            return null;
        }
    }

    private async Task StoreRemoveAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await uniqueNames.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            ConversationsLog.UniqueNameStoreFailed(logger, "remove", key, exception);
        }
    }

    private void Remember(Conversation conversation)
    {
        if (conversation.UniqueName is not null)
        {
            snapshots.Set(scope + conversation.UniqueName, conversation, conversation.Sid);
        }
    }

    private void RememberParticipant(string conversationSid, NormalizedBinding binding, Participant participant) =>
        participants.Set(ParticipantKey(conversationSid, binding), participant, conversationSid, participant.Sid);

    // Drops every cached fact about a conversation: its unique-name snapshots (found through the SID index, no scan), the
    // shared store's entries for those names when they still point at it, and its participants.
    private async Task EvictConversationAsync(string conversationSid, CancellationToken cancellationToken, bool removeFromStore = true)
    {
        var removed = snapshots.RemoveTagged(conversationSid);
        participants.RemoveTagged(conversationSid);
        if (!removeFromStore)
        {
            return;
        }

        foreach (var (key, _) in removed)
        {
            if (await StoreGetAsync(key, cancellationToken).ConfigureAwait(false) == conversationSid)
            {
                await StoreRemoveAsync(key, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // A 404 on a conversation-scoped call means the conversation is gone (deleted elsewhere): evict it so the next
    // get-or-create goes to Twilio, then let the caller see the 404.
    private async Task<T> OnConversationAsync<T>(string conversationSid, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (TwilioApiException exception) when (exception.Status == HttpStatusCode.NotFound)
        {
            ConversationsLog.ConversationGone(logger, conversationSid);
            await EvictConversationAsync(conversationSid, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<Conversation?> FetchAsync(string sidOrUniqueName, CancellationToken cancellationToken)
    {
        var request = Request(HttpMethod.Get, $"/Conversations/{Uri.EscapeDataString(sidOrUniqueName)}", ConversationRoute);
        var dto = await GetOrNullAsync(request, ConversationsJsonContext.Default.ConversationDto, cancellationToken).ConfigureAwait(false);
        return dto?.ToModel();
    }

    private async Task<T?> GetOrNullAsync<T>(TwilioRequest request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await twilio.SendAsync(request, typeInfo, cancellationToken).ConfigureAwait(false);
        }
        catch (TwilioApiException exception) when (exception.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<bool> DeleteOrFalseAsync(TwilioRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await twilio.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TwilioApiException exception) when (exception.Status == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private async Task<Participant> CreateParticipantAsync(string conversationSid, NormalizedBinding binding, JsonAttributes? attributes, CancellationToken cancellationToken)
    {
        // Not marked safe to retry: a repeat after an ambiguous failure is answered 409, which only ensure resolves.
        var request = Request(HttpMethod.Post, $"/Conversations/{conversationSid}/Participants", ConversationRoute + "/Participants")
            .AddForm("Identity", binding.Identity)
            .AddForm("MessagingBinding.Address", binding.Address)
            .AddForm("MessagingBinding.ProxyAddress", binding.ProxyAddress)
            .AddForm("Attributes", attributes?.Json);
        AddWebhookHeader(request);
        return (await OnConversationAsync(conversationSid, () => twilio.SendAsync(request, ConversationsJsonContext.Default.ParticipantDto, cancellationToken), cancellationToken).ConfigureAwait(false)).ToModel();
    }

    private async Task<Participant?> FindAsync(string conversationSid, NormalizedBinding binding, CancellationToken cancellationToken)
    {
        if (binding.Kind == ParticipantBindingKind.Chat)
        {
            // Twilio fetches a participant by identity in place of its SID.
            var request = Request(HttpMethod.Get, $"/Conversations/{conversationSid}/Participants/{Uri.EscapeDataString(binding.Identity!)}", ConversationRoute + "/Participants/{Identity}");
            var dto = await GetOrNullAsync(request, ConversationsJsonContext.Default.ParticipantDto, cancellationToken).ConfigureAwait(false);
            return dto?.ToModel();
        }

        Participant? sameAddress = null;
        await foreach (var participant in ListParticipantsCoreAsync(conversationSid, cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(participant.Address, binding.Address, StringComparison.Ordinal))
            {
                if (binding.Matches(participant))
                {
                    return participant;
                }

                sameAddress ??= participant;
            }
        }

        return sameAddress;
    }

    private async Task<Participant?> FindByAddressAsync(string conversationSid, string address, CancellationToken cancellationToken)
    {
        await foreach (var participant in ListParticipantsCoreAsync(conversationSid, cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(participant.Address, address, StringComparison.Ordinal))
            {
                return participant;
            }
        }

        return null;
    }

    private async Task<string?> FindBindingOwnerAsync(string conversationSid, NormalizedBinding binding, CancellationToken cancellationToken)
    {
        try
        {
            var request = Request(HttpMethod.Get, "/ParticipantConversations", "/ParticipantConversations")
                .AddQuery("Address", binding.Address);
            await foreach (var item in twilio.ListAsync(request, "conversations", ConversationsJsonContext.Default.ParticipantConversationDto, cancellationToken).ConfigureAwait(false))
            {
                var proxy = item.ParticipantMessagingBinding?.ProxyAddress;
                if (item.ConversationSid is { } sid && sid != conversationSid
                    && !string.Equals(item.ConversationState, "closed", StringComparison.OrdinalIgnoreCase)
                    && (proxy is null || string.Equals(proxy, binding.ProxyAddress, StringComparison.Ordinal)))
                {
                    return sid;
                }
            }
        }
        catch (TwilioApiException exception) when (exception.Status == HttpStatusCode.NotFound)
        {
            // Naming the other conversation is a courtesy; "not found" leaves it unnamed. Any other failure (401, 429 after
            // the transport's retries, 5xx) surfaces, so a broken credential or an outage is not reported as a conflict.
        }

        return null;
    }

    private async IAsyncEnumerable<Participant> ListParticipantsCoreAsync(string conversationSid, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = Request(HttpMethod.Get, $"/Conversations/{conversationSid}/Participants", ConversationRoute + "/Participants").AddQuery("PageSize", "100");
        await foreach (var dto in twilio.ListAsync(request, "participants", ConversationsJsonContext.Default.ParticipantDto, cancellationToken).ConfigureAwait(false))
        {
            yield return dto.ToModel();
        }
    }

    private async IAsyncEnumerable<ConversationMessage> ListMessagesCoreAsync(TwilioRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var dto in twilio.ListAsync(request, "messages", ConversationsJsonContext.Default.MessageDto, cancellationToken).ConfigureAwait(false))
        {
            yield return dto.ToModel();
        }
    }

    private async Task BackOffAsync(string target, int attempt, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(100 * Math.Pow(2, attempt) * (0.5 + (Random.Shared.NextDouble() / 2)));
        ConversationsLog.ConflictingModification(logger, target, (long)delay.TotalMilliseconds);
        await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
    }

    private void AddWebhookHeader(TwilioRequest request)
    {
        if (webhooks)
        {
            request.SetHeader("X-Twilio-Webhook-Enabled", "true");
        }
    }

    private NormalizedBinding Normalize(ParticipantBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        if (binding.Kind == ParticipantBindingKind.Chat)
        {
            return new NormalizedBinding(ParticipantBindingKind.Chat, binding.Identity, null, null);
        }

        var region = binding.DefaultRegion ?? options.DefaultRegion;
        if (binding.Kind == ParticipantBindingKind.Sms)
        {
            foreach (var (value, name) in new[] { (binding.Address!, nameof(binding.Address)), (binding.ProxyAddress!, nameof(binding.ProxyAddress)) })
            {
                if (value.TrimStart().StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase))
                {
                    throw new ArgumentException($"The SMS participant's {name} '{value}' is a WhatsApp address; use ParticipantBinding.WhatsApp for WhatsApp participants.", nameof(binding));
                }
            }

            if (TwilioSid.IsValid(binding.ProxyAddress!.Trim(), "MG"))
            {
                throw new ArgumentException(
                    $"The SMS participant's ProxyAddress '{binding.ProxyAddress}' is a Messaging Service SID. Conversations binds an SMS participant to a Twilio phone number; " +
                    "to send through a Messaging Service, set ConversationOptions.MessagingServiceSid on the conversation and use a number from that service's sender pool as the proxy.",
                    nameof(binding));
            }
        }

        var address = NormalizeNumber(binding.Address!, region, nameof(binding.Address), nameof(binding));
        var proxy = NormalizeNumber(binding.ProxyAddress!, region, nameof(binding.ProxyAddress), nameof(binding));
        var customer = binding.Kind == ParticipantBindingKind.WhatsApp ? ChannelAddress.WhatsApp(address) : ChannelAddress.Sms(address);
        var proxyAddress = binding.Kind == ParticipantBindingKind.WhatsApp ? ChannelAddress.WhatsApp(proxy).ToString() : proxy.ToString();
        if (address == proxy)
        {
            throw new ArgumentException($"The participant's address and proxy address are the same number ({address}); Twilio refuses that (50409).", nameof(binding));
        }

        return new NormalizedBinding(binding.Kind, null, customer.ToString(), proxyAddress);
    }

    private PhoneNumber NormalizeNumber(string value, string? region, string what, string parameterName)
    {
        // The normalizer's contract accepts a tel:, sms: or whatsapp: prefix.
        if (normalizer.TryNormalize(value, region, PhoneNumberParseOptions.None, out var parsed, out var failure))
        {
            return parsed;
        }

        throw new ArgumentException($"The participant's {what} is not a phone number: {failure.Message}", parameterName);
    }
}

/// <summary>A binding after normalization: E.164 addresses, <c>whatsapp:</c> prefixes in place.</summary>
internal sealed record NormalizedBinding(ParticipantBindingKind Kind, string? Identity, string? Address, string? ProxyAddress)
{
    public string Key => Kind == ParticipantBindingKind.Chat ? "identity:" + Identity : $"{Address}|{ProxyAddress}";

    public bool Matches(Participant participant) => Kind == ParticipantBindingKind.Chat
        ? string.Equals(participant.Identity, Identity, StringComparison.Ordinal)
        : string.Equals(participant.Address, Address, StringComparison.Ordinal) && string.Equals(participant.ProxyAddress, ProxyAddress, StringComparison.Ordinal);

    public override string ToString() => Kind == ParticipantBindingKind.Chat ? $"chat:{Identity}" : $"{Address} via {ProxyAddress}";
}
