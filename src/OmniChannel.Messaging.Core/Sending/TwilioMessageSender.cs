using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OmniChannel.Messaging.Sending.Internal;
using OmniChannel.Messaging.Transport.Internal;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace OmniChannel.Messaging;

/// <summary>
/// Provides the Programmable Messaging send pipeline the SMS and WhatsApp clients share: the suppression pre-check,
/// idempotency keys, the typed <c>Messages.json</c> create and fetch calls, error classification, "may have been sent"
/// detection and suppression after Twilio's 21610.
/// </summary>
/// <remarks>
/// Sends go through the account's <see cref="TwilioApiClient"/>, so they take the client-side rate limiter's permits and
/// are retried only when Twilio did not process them (HTTP 429, or a connection that never opened). A POST whose outcome
/// is unknown (a timeout or lost connection after it left, a 5xx or 408 answer, a cancellation after it left) is reported
/// as <see cref="MessageSendOutcome.MaybeSent"/>, never repeated, and keeps its idempotency key. It is thread-safe.
/// </remarks>
public sealed class TwilioMessageSender
{
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>63018: a channel's per-second (MPS) limit; Twilio gives no Retry-After, so a second is the natural wait.</summary>
    private const int ChannelRateLimitCode = 63018;

    private static readonly TimeSpan ChannelRateLimitWait = TimeSpan.FromSeconds(1);
    private readonly TwilioApiClient client;
    private readonly ISuppressionList suppressionList;
    private readonly IMessageIdempotencyStore idempotencyStore;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly string account;

    /// <summary>Initializes a new instance of the <see cref="TwilioMessageSender"/> class.</summary>
    /// <param name="client">The account's REST client.</param>
    /// <param name="suppressionList">The suppression list checked before each send and updated after a 21610.</param>
    /// <param name="idempotencyStore">The store of idempotency keys.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger, or <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException">A required argument is <see langword="null"/>.</exception>
    public TwilioMessageSender(
        TwilioApiClient client,
        ISuppressionList suppressionList,
        IMessageIdempotencyStore idempotencyStore,
        TimeProvider timeProvider,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(suppressionList);
        ArgumentNullException.ThrowIfNull(idempotencyStore);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.client = client;
        this.suppressionList = suppressionList;
        this.idempotencyStore = idempotencyStore;
        this.timeProvider = timeProvider;
        this.logger = logger ?? NullLogger.Instance;
        account = client.Name.Length == 0 ? "default" : client.Name;
    }

    /// <summary>Gets or sets how long the result of a send is remembered under its idempotency key.</summary>
    /// <value>The default value is 24 hours.</value>
    public TimeSpan IdempotencyKeyLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Gets or sets how long a send waits for a concurrent send with the same idempotency key to finish before it reports
    /// <see cref="MessageSendOutcome.MaybeSent"/>; it also bounds the lease of a reservation.
    /// </summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan IdempotencyWaitTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Sends a message after the suppression pre-check, honouring its idempotency key: a key that already has a record
    /// returns that record's result (see <see cref="FindPreviousResultAsync"/>) before the request rules and the
    /// suppression check run.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">The token to cancel the send with.</param>
    /// <returns>The result; failures are results, not exceptions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The message breaks Twilio's request rules (a bad SID, no sender, no content, a schedule without a Messaging Service or outside 15 minutes to 35 days ahead).</exception>
    /// <exception cref="IdempotencyKeyMismatchException">The idempotency key was already used for a different request.</exception>
    /// <exception cref="OperationCanceledException">
    /// <paramref name="cancellationToken"/> was canceled. The idempotency key is released when the request had not left,
    /// and kept as <see cref="MessageSendOutcome.MaybeSent"/> when it had.
    /// </exception>
    public async Task<MessageSendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);

        // A retry returns the first result before any policy runs: the recipient may have opted out, the window closed or
        // SendAt come near since the first send, and none of that changes what the first send did.
        if (!message.PreSendChecksDone && await FindPreviousResultAsync(message, cancellationToken).ConfigureAwait(false) is { } previous)
        {
            return previous;
        }

        Validate(message, timeProvider.GetUtcNow());
        if (MediaUrlProblem(message.MediaUrls) is { } problem)
        {
            return new MessageSendResult
            {
                Outcome = MessageSendOutcome.InvalidContent,
                To = message.To,
                ErrorMessage = problem,
                ErrorCategory = MessageErrorCategory.Other,
                IdempotencyKey = message.IdempotencyKey,
            };
        }

        if (!message.PreSendChecksDone && await suppressionList.IsSuppressedAsync(message.Channel, message.SuppressionScope, message.To, cancellationToken).ConfigureAwait(false))
        {
            MessagingLog.Suppressed(logger, message.Channel, account);
            return new MessageSendResult
            {
                Outcome = MessageSendOutcome.Suppressed,
                To = message.To,
                ErrorCategory = MessageErrorCategory.Recipient,
                ErrorMessage = $"The recipient opted out of {message.Channel} messages from {message.SuppressionScope}; nothing was sent.",
                IdempotencyKey = message.IdempotencyKey,
            };
        }

        var probe = new SendProbe(SendProbe.Current);
        if (message.IdempotencyKey is not { } key)
        {
            return await CreateAsync(message, probe, cancellationToken).ConfigureAwait(false);
        }

        var fingerprint = FingerprintOf(message);
        var scopedKey = ScopedKey(message.Channel, key);
        var existing = await idempotencyStore.TryReserveAsync(scopedKey, IdempotencyWaitTimeout, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            // Another send took the key between the look-up above and now.
            return await AwaitFirstAsync(message, scopedKey, fingerprint, existing, cancellationToken).ConfigureAwait(false)
                ?? await SendAsync(message, cancellationToken).ConfigureAwait(false);
        }

        MessageSendResult result;
        try
        {
            result = await CreateAsync(message, probe, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Canceled, or failed in a way no result covers (a store or JSON failure). If the request left, Twilio may
            // have created the message: keep the key so a retry does not send twice. If it never left (still waiting for
            // a rate-limiter permit, say), release the key so the retry sends.
            // A store failure here is logged, never thrown: the caller must see the original exception (a cancellation
            // above all).
            if (probe.Started)
            {
                var reason = exception is OperationCanceledException
                    ? "The send was canceled after its request left; the message may have been sent."
                    : $"The send failed after its request left ({exception.GetType().Name}); the message may have been sent.";
                var maybeSent = Unsuccessful(message, MessageSendOutcome.MaybeSent, MessageErrorCategory.Other, reason, httpStatus: probe.LastStatus);
                try
                {
                    await idempotencyStore.CompleteAsync(Record(scopedKey, fingerprint, maybeSent), IdempotencyKeyLifetime, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception storeError)
                {
                    MessagingLog.IdempotencyCompleteFailed(logger, storeError, message.Channel, MessageSendOutcome.MaybeSent, account);
                }
            }
            else
            {
                try
                {
                    await idempotencyStore.ReleaseAsync(scopedKey, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception storeError)
                {
                    MessagingLog.IdempotencyReleaseFailed(logger, storeError, message.Channel, account);
                }
            }

            throw;
        }

        // The message is sent (or refused) whatever the store does now: a store failure is logged, never thrown, so the
        // caller keeps the SID. The key then stays pending until its lease (IdempotencyWaitTimeout) ends, and a retry
        // with it meanwhile reports MaybeSent.
        if (result.Outcome is MessageSendOutcome.Accepted or MessageSendOutcome.MaybeSent)
        {
            try
            {
                await idempotencyStore.CompleteAsync(Record(scopedKey, fingerprint, result), IdempotencyKeyLifetime, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                MessagingLog.IdempotencyCompleteFailed(logger, exception, message.Channel, result.Outcome, account);
            }
        }
        else
        {
            // Nothing was sent (Twilio refused it, or the connection never opened), so the key may be used again.
            try
            {
                await idempotencyStore.ReleaseAsync(scopedKey, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                MessagingLog.IdempotencyReleaseFailed(logger, exception, message.Channel, account);
            }
        }

        return result;
    }

    /// <summary>
    /// Gets the result an earlier send with the message's idempotency key produced, waiting for it when that send is
    /// still running, without running any policy or sending anything.
    /// </summary>
    /// <remarks>
    /// Channel clients call this before their own policies (a window or consent check), so a retry returns the first
    /// result even when a policy would now refuse the message. <see cref="SendAsync"/> does the same itself.
    /// </remarks>
    /// <param name="message">The message; only its channel, idempotency key and request (or <see cref="OutboundMessage.RequestFingerprint"/>) are used.</param>
    /// <param name="cancellationToken">The token to cancel the look-up with.</param>
    /// <returns>
    /// The earlier result, marked <see cref="MessageSendResult.IsDuplicate"/>; <see langword="null"/> when the message has
    /// no idempotency key or no send holds it (none was made, it sent nothing and released the key, or the record expired).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="IdempotencyKeyMismatchException">The idempotency key was already used for a different request.</exception>
    public async Task<MessageSendResult?> FindPreviousResultAsync(OutboundMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.IdempotencyKey is not { } key)
        {
            return null;
        }

        var scopedKey = ScopedKey(message.Channel, key);
        var existing = await idempotencyStore.GetAsync(scopedKey, cancellationToken).ConfigureAwait(false);
        return existing is null
            ? null
            : await AwaitFirstAsync(message, scopedKey, FingerprintOf(message), existing, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fetches the current state of a message (<c>GET …/Messages/{Sid}.json</c>).</summary>
    /// <param name="messageSid">The message SID (<c>SM…</c> or <c>MM…</c>).</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>An <see cref="MessageSendOutcome.Accepted"/> result with the current status, error code and price.</returns>
    /// <exception cref="ArgumentException"><paramref name="messageSid"/> is not an SM or MM SID.</exception>
    /// <exception cref="TwilioApiException">Twilio answered with an error (404 for an unknown SID).</exception>
    public async Task<MessageSendResult> GetAsync(string messageSid, CancellationToken cancellationToken = default)
    {
        if (!TwilioSid.IsValid(messageSid, "SM") && !TwilioSid.IsValid(messageSid, "MM"))
        {
            TwilioSid.ThrowIfInvalid(messageSid, "SM");
        }

        var request = new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, $"/2010-04-01/Accounts/{client.AccountSid}/Messages/{messageSid}.json")
        {
            RouteTemplate = "/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json",
        };

        // Any answer but 200 throws TwilioApiException, so the status needs no probe. A fetch is no send: it must not mark
        // the probe of a send or batch item it runs in as "its request left" (this write stays inside this method's flow).
        SendProbe.Current = null;
        var dto = await client.SendAsync(request, MessageJsonContext.Default.MessageResourceDto, cancellationToken).ConfigureAwait(false);
        return ToResult(dto, dto.To ?? string.Empty, null, null, HttpStatusCode.OK);
    }

    /// <summary>
    /// Applies a status callback to the policies: a <c>failed</c> or <c>undelivered</c> status with 21610 suppresses the
    /// recipient, as a synchronous 21610 does.
    /// </summary>
    /// <param name="channel">The channel of the message.</param>
    /// <param name="scope">The sender scope of the message (its Messaging Service, or its From address).</param>
    /// <param name="to">The recipient, normalized.</param>
    /// <param name="status">The callback's <c>MessageStatus</c>.</param>
    /// <param name="errorCode">The callback's <c>ErrorCode</c>, if any.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The classification of the callback's error; <see cref="MessageErrorCategory.None"/> when the status is not a failure.</returns>
    public async ValueTask<MessageErrorCategory> ApplyStatusCallbackAsync(
        MessagingChannel channel, SuppressionScope scope, string to, MessageStatus status, int? errorCode, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(to);
        if (!status.IsFailure && errorCode is null)
        {
            return MessageErrorCategory.None;
        }

        if (MessageErrorClassifier.IsOptOut(errorCode))
        {
            await suppressionList.SuppressAsync(channel, scope, to, cancellationToken).ConfigureAwait(false);
            MessagingLog.SuppressedAfterOptOut(logger, channel, account);
        }

        return MessageErrorClassifier.ClassifyStatusCallback(errorCode);
    }

    /// <summary>
    /// Sends many messages with bounded concurrency, returning one result per message in input order. Each send takes
    /// the account's rate-limiter permit, so the account limit holds across concurrent batches.
    /// </summary>
    /// <remarks>
    /// <para>
    /// One bad message never stops the others: a message whose send throws <see cref="ArgumentException"/> or
    /// <see cref="IdempotencyKeyMismatchException"/> gets a <see cref="MessageSendOutcome.Rejected"/> result naming the
    /// problem; any other exception becomes <see cref="MessageSendOutcome.MaybeSent"/> if its request had left, else
    /// <see cref="MessageSendOutcome.Failed"/>.
    /// </para>
    /// <para>
    /// On cancellation no new send starts and <see cref="MessageBatchCanceledException"/> (an
    /// <see cref="OperationCanceledException"/>) is thrown carrying every result: finished messages keep theirs, a message
    /// whose request was in flight is <see cref="MessageSendOutcome.MaybeSent"/>, and one whose request had not left is
    /// <see cref="MessageSendOutcome.Canceled"/> (safe to send again).
    /// </para>
    /// </remarks>
    /// <typeparam name="TMessage">The channel's message type.</typeparam>
    /// <param name="messages">The messages.</param>
    /// <param name="send">The single-message send, for example <c>ISmsClient.SendAsync</c>.</param>
    /// <param name="recipientOf">Gets a message's recipient, for the results of messages that were not sent.</param>
    /// <param name="idempotencyKeyOf">Gets a message's idempotency key, carried by the results of messages that were not sent.</param>
    /// <param name="maxConcurrency">The most sends in flight at once.</param>
    /// <param name="cancellationToken">The token to cancel the batch with.</param>
    /// <returns>The results, in the order of <paramref name="messages"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/>, <paramref name="send"/>, <paramref name="recipientOf"/> or <paramref name="idempotencyKeyOf"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="messages"/> holds a <see langword="null"/> item (the message names its index); nothing is sent.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxConcurrency"/> is less than 1.</exception>
    /// <exception cref="MessageBatchCanceledException"><paramref name="cancellationToken"/> was canceled before every message finished.</exception>
    public static async Task<IReadOnlyList<MessageSendResult>> SendManyAsync<TMessage>(
        IEnumerable<TMessage> messages,
        Func<TMessage, CancellationToken, Task<MessageSendResult>> send,
        Func<TMessage, string> recipientOf,
        Func<TMessage, string?> idempotencyKeyOf,
        int maxConcurrency,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(recipientOf);
        ArgumentNullException.ThrowIfNull(idempotencyKeyOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        var items = messages as IReadOnlyList<TMessage> ?? messages.ToArray();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null)
            {
                throw new ArgumentException($"The message at index {i} is null; nothing was sent.", nameof(messages));
            }
        }

        var results = new MessageSendResult?[items.Count];
        var next = -1;
        var canceled = 0;

        async Task WorkAsync()
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= items.Count)
                {
                    return;
                }

                var (result, wasCanceled) = await SendOneAsync(items[index], send, recipientOf, idempotencyKeyOf, cancellationToken).ConfigureAwait(false);
                results[index] = result;
                if (wasCanceled)
                {
                    Volatile.Write(ref canceled, 1);
                }
            }
        }

        var workers = new Task[Math.Min(maxConcurrency, Math.Max(items.Count, 1))];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = WorkAsync();
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        if (Volatile.Read(ref canceled) == 0 && Array.TrueForAll(results, r => r is not null))
        {
            return results!;
        }

        var complete = new MessageSendResult[items.Count];
        for (var i = 0; i < complete.Length; i++)
        {
            complete[i] = results[i] ?? Unfinished(
                items[i], recipientOf, idempotencyKeyOf, MessageSendOutcome.Canceled, "The batch was canceled before this message was sent; nothing was sent.");
        }

        throw new MessageBatchCanceledException(complete, cancellationToken);
    }

    private static async Task<(MessageSendResult Result, bool Canceled)> SendOneAsync<TMessage>(
        TMessage message,
        Func<TMessage, CancellationToken, Task<MessageSendResult>> send,
        Func<TMessage, string> recipientOf,
        Func<TMessage, string?> idempotencyKeyOf,
        CancellationToken cancellationToken)
    {
        // The item's probe is the parent of the send's own probe, so it learns whether any request of this item left.
        var probe = new SendProbe(SendProbe.Current);
        SendProbe.Current = probe;
        try
        {
            return (await send(message, cancellationToken).ConfigureAwait(false), false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (probe.Started
                ? Unfinished(message, recipientOf, idempotencyKeyOf, MessageSendOutcome.MaybeSent, "The batch was canceled while this message's request was in flight; the message may have been sent. Reconcile before sending again.")
                : Unfinished(message, recipientOf, idempotencyKeyOf, MessageSendOutcome.Canceled, "The batch was canceled before this message's request left; nothing was sent."), true);
        }
        catch (Exception exception) when (exception is ArgumentException or IdempotencyKeyMismatchException)
        {
            return (Unfinished(message, recipientOf, idempotencyKeyOf, MessageSendOutcome.Rejected, exception.Message), false);
        }
        catch (Exception exception)
        {
            // The exception's message may name a host, a URL or a store's detail, and results are logged and kept: only
            // the failure's type goes in.
            var reason = TwilioFailure.Describe(exception);
            return (probe.Started
                ? Unfinished(message, recipientOf, idempotencyKeyOf, MessageSendOutcome.MaybeSent, $"The send failed after its request left ({reason}); the message may have been sent.")
                : Unfinished(message, recipientOf, idempotencyKeyOf, MessageSendOutcome.Failed, $"The send failed before its request left ({reason}); nothing was sent."), false);
        }
    }

    /// <summary>The result of a batch item that has no result of its own: canceled, rejected, or failed by an exception.</summary>
    private static MessageSendResult Unfinished<TMessage>(
        TMessage message, Func<TMessage, string> recipientOf, Func<TMessage, string?> idempotencyKeyOf, MessageSendOutcome outcome, string reason) => new()
        {
            Outcome = outcome,
            To = recipientOf(message),
            ErrorCategory = MessageErrorCategory.Other,
            ErrorMessage = reason,
            IdempotencyKey = idempotencyKeyOf(message),
        };

    /// <summary>
    /// Finds media URLs Twilio cannot fetch: relative, not https, carrying credentials, or pointing at this machine or a
    /// private network.
    /// </summary>
    private static string? MediaUrlProblem(IReadOnlyList<Uri> mediaUrls)
    {
        foreach (var url in mediaUrls)
        {
            if (url is null || !url.IsAbsoluteUri)
            {
                return "A media URL must be absolute.";
            }

            if (url.Scheme != Uri.UriSchemeHttps)
            {
                return $"The media URL '{url.GetLeftPart(UriPartial.Path)}' must use https.";
            }

            if (url.UserInfo.Length > 0)
            {
                return "A media URL must not carry credentials; Twilio fetches it without them.";
            }

            if (url.IsLoopback || url.Host.EndsWith(".local", StringComparison.OrdinalIgnoreCase) || IsPrivateAddress(url))
            {
                return $"The media URL host '{url.Host}' is not reachable from Twilio (loopback or private network).";
            }
        }

        return null;
    }

    private static bool IsPrivateAddress(Uri url)
    {
        if (url.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) || !IPAddress.TryParse(url.DnsSafeHost, out var address))
        {
            return false;
        }

        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal)
        {
            return true;
        }

        var bytes = address.MapToIPv4().GetAddressBytes();
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && (bytes[0] == 10 || (bytes[0] == 172 && bytes[1] is >= 16 and <= 31) || (bytes[0] == 192 && bytes[1] == 168) || (bytes[0] == 169 && bytes[1] == 254) || bytes[0] == 0);
    }

    /// <summary>The scheduling window Twilio accepts (error 35114 outside it): at least 15 minutes and at most 35 days ahead.</summary>
    private static readonly TimeSpan MinScheduleLead = TimeSpan.FromMinutes(15);

    private static readonly TimeSpan MaxScheduleLead = TimeSpan.FromDays(35);

    private static void Validate(OutboundMessage message, DateTimeOffset now)
    {
        if (message.MessagingServiceSid is not null)
        {
            TwilioSid.ThrowIfInvalid(message.MessagingServiceSid, "MG", "MessagingServiceSid");
        }
        else if (string.IsNullOrWhiteSpace(message.From))
        {
            throw new ArgumentException("A message needs a sender: set MessagingServiceSid (MG…) or From.", nameof(message));
        }

        if (message.ContentSid is not null)
        {
            TwilioSid.ThrowIfInvalid(message.ContentSid, "HX", "ContentSid");
        }
        else if (message.ContentVariables is not null)
        {
            throw new ArgumentException("ContentVariables needs a ContentSid.", nameof(message));
        }

        if (message.Body is null && message.MediaUrls.Count == 0 && message.ContentSid is null)
        {
            throw new ArgumentException("A message needs content: a Body, a MediaUrl or a ContentSid.", nameof(message));
        }

        if (message.Body is { Length: > 1600 })
        {
            throw new ArgumentException($"The body has {message.Body.Length} characters; Twilio accepts at most 1,600.", nameof(message));
        }

        if (message.MediaUrls.Count > 10)
        {
            throw new ArgumentException($"A message carries at most 10 media URLs; {message.MediaUrls.Count} were given.", nameof(message));
        }

        if (message.SendAt is { } sendAt)
        {
            if (message.MessagingServiceSid is null)
            {
                throw new ArgumentException("A scheduled message (SendAt) must be sent through a Messaging Service.", nameof(message));
            }

            var lead = sendAt - now;
            if (lead < MinScheduleLead || lead > MaxScheduleLead)
            {
                throw new ArgumentException(
                    $"SendAt {sendAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} is {lead.TotalMinutes:F0} minutes from now; Twilio schedules between 15 minutes and 35 days ahead (error 35114 otherwise).",
                    nameof(message));
            }
        }

        if (message.ShortenUrls == true && message.MessagingServiceSid is null)
        {
            throw new ArgumentException("ShortenUrls needs a Messaging Service.", nameof(message));
        }

        if (message.ValidityPeriod is { } validity && (validity < TimeSpan.FromSeconds(1) || validity > TimeSpan.FromSeconds(36_000)))
        {
            throw new ArgumentException($"ValidityPeriod {validity} must be between 1 second and 10 hours.", nameof(message));
        }

        if (message.StatusCallback is { } callback && (!callback.IsAbsoluteUri || callback.Host.Contains('_', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"StatusCallback '{callback}' must be an absolute URL whose host has no underscore.", nameof(message));
        }
    }

    private TwilioRequest BuildRequest(OutboundMessage message)
    {
        var request = new TwilioRequest(HttpMethod.Post, TwilioProduct.Api, $"/2010-04-01/Accounts/{client.AccountSid}/Messages.json")
        {
            RouteTemplate = "/2010-04-01/Accounts/{AccountSid}/Messages.json",
        };
        request.AddForm("To", message.To);
        if (message.MessagingServiceSid is not null)
        {
            request.AddForm("MessagingServiceSid", message.MessagingServiceSid);
        }
        else
        {
            request.AddForm("From", message.From);
        }

        request.AddForm("Body", message.Body)
            .AddFormValues("MediaUrl", message.MediaUrls.Select(u => u.AbsoluteUri))
            .AddForm("ContentSid", message.ContentSid)
            .AddForm("ContentVariables", message.ContentVariables)
            .AddForm("StatusCallback", message.StatusCallback?.AbsoluteUri)
            .AddForm("ValidityPeriod", message.ValidityPeriod is { } v ? (long)Math.Ceiling(v.TotalSeconds) : null)
            .AddForm("ProvideFeedback", message.ProvideFeedback)
            .AddForm("ShortenUrls", message.ShortenUrls)
            .AddForm("SmartEncoded", message.SmartEncoded);
        if (message.SendAt is { } sendAt)
        {
            request.AddForm("ScheduleType", "fixed").AddForm("SendAt", sendAt);
        }

        return request;
    }

    private async Task<MessageSendResult> CreateAsync(OutboundMessage message, SendProbe probe, CancellationToken cancellationToken)
    {
        var request = BuildRequest(message);
        SendProbe.Current = probe;
        try
        {
            var dto = await client.SendAsync(request, MessageJsonContext.Default.MessageResourceDto, cancellationToken).ConfigureAwait(false);
            return ToResult(dto, message.To, message.IdempotencyKey, message.ContentSid, probe.LastStatus);
        }
        catch (TwilioApiException exception) when (IsOutcomeUnknown(exception.Status))
        {
            // A 5xx (or a 408 from something in between) on the create POST: Twilio may have created the message before
            // it failed to answer, so this is "may have been sent", never a plain failure the caller would resend.
            MessagingLog.MaybeSent(logger, message.Channel, $"HTTP {(int)exception.Status}", account);
            return Unsuccessful(
                message,
                MessageSendOutcome.MaybeSent,
                MessageErrorCategory.Retryable,
                $"Twilio answered HTTP {(int)exception.Status} ({exception.TwilioMessage}); the message may have been sent. Reconcile before sending again.",
                exception);
        }

        catch (TwilioApiException exception)
        {
            var category = MessageErrorClassifier.Classify(exception.Status, exception.ErrorCode);
            MessagingLog.Failed(logger, message.Channel, exception.ErrorCode, category, (int)exception.Status, account);
            if (MessageErrorClassifier.IsOptOut(exception.ErrorCode))
            {
                await suppressionList.SuppressAsync(message.Channel, message.SuppressionScope, message.To, CancellationToken.None).ConfigureAwait(false);
                MessagingLog.SuppressedAfterOptOut(logger, message.Channel, account);
            }

            return Unsuccessful(
                message,
                category == MessageErrorCategory.TemplateRequired ? MessageSendOutcome.TemplateRequired : MessageSendOutcome.Failed,
                category,
                exception.TwilioMessage,
                exception,
                exception.RetryAfter ?? (exception.ErrorCode == ChannelRateLimitCode ? ChannelRateLimitWait : null));
        }

        catch (Exception exception) when (!cancellationToken.IsCancellationRequested
            && exception is TimeoutRejectedException or HttpRequestException or BrokenCircuitException or RateLimiterRejectedException)
        {
            // The probe, not the exception's type, tells whether the request left: the total timeout also fires while the
            // send waits for a rate-limiter permit or sits in the retry delay after a 429, and then nothing was sent.
            if (!probe.Started)
            {
                return Unsuccessful(message, MessageSendOutcome.Failed, MessageErrorCategory.Retryable, NotSentReason(exception));
            }

            var reason = exception switch
            {
                TimeoutRejectedException => "timed out",
                HttpRequestException http => $"connection lost ({http.HttpRequestError})",
                _ => $"failed ({TwilioFailure.Describe(exception)})",
            };
            MessagingLog.MaybeSent(logger, message.Channel, reason, account);
            return Unsuccessful(
                message,
                MessageSendOutcome.MaybeSent,
                MessageErrorCategory.Other,
                $"The request to Twilio {reason} after it was sent; the message may have been sent. Reconcile before sending again.");
        }
    }

    /// <summary>Says why a send whose request never left failed; each reason ends in "nothing was sent".</summary>
    private static string NotSentReason(Exception exception) => exception switch
    {
        BrokenCircuitException => "The circuit to Twilio is open after repeated failures; nothing was sent.",
        RateLimiterRejectedException => "The client-side rate limiter's queue is full; nothing was sent.",
        TimeoutRejectedException => "The send timed out before its request left (waiting for a rate-limiter permit or a retry delay); nothing was sent.",
        HttpRequestException http => $"The connection to Twilio could not be opened ({http.HttpRequestError}); nothing was sent.",
        _ => $"The send failed before its request left ({TwilioFailure.Describe(exception)}); nothing was sent.",
    };

    /// <summary>A result for a send that did not end in an accepted message, with the request's identity filled in.</summary>
    private static MessageSendResult Unsuccessful(
        OutboundMessage message,
        MessageSendOutcome outcome,
        MessageErrorCategory category,
        string? errorMessage,
        TwilioApiException? exception = null,
        TimeSpan? retryAfter = null,
        HttpStatusCode? httpStatus = null) => new()
        {
            Outcome = outcome,
            To = message.To,
            ErrorCode = exception?.ErrorCode,
            ErrorMessage = errorMessage,
            ErrorCategory = category,
            HttpStatus = exception?.Status ?? httpStatus,
            RetryAfter = retryAfter ?? exception?.RetryAfter,
            IdempotencyKey = message.IdempotencyKey,
            ContentSid = message.ContentSid,
        };

    /// <summary>
    /// Whether an error answer to the create POST leaves the outcome unknown: any 5xx (Twilio or a proxy may have failed
    /// after the message was created) and 408 (an intermediary timed out). A 4xx other than 408, 429 included, means
    /// the request was refused and nothing was created.
    /// </summary>
    internal static bool IsOutcomeUnknown(HttpStatusCode status) => (int)status >= 500 || status == HttpStatusCode.RequestTimeout;

    private string ScopedKey(MessagingChannel channel, string key) => $"{account}|{channel}|{key}";

    private string FingerprintOf(OutboundMessage message) => message.RequestFingerprint ?? Fingerprint(BuildRequest(message).Form);

    /// <summary>Waits for the send holding the key to finish and returns its result; <see langword="null"/> when it released the key.</summary>
    private async Task<MessageSendResult?> AwaitFirstAsync(OutboundMessage message, string scopedKey, string fingerprint, MessageIdempotencyRecord record, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(5);
        while (!record.IsCompleted)
        {
            if (record.ExpiresAt <= timeProvider.GetUtcNow() || timeProvider.GetElapsedTime(started) >= IdempotencyWaitTimeout)
            {
                return Duplicate(message, new MessageIdempotencyRecord { Key = scopedKey, Outcome = MessageSendOutcome.MaybeSent, To = message.To },
                    "Another send with the same idempotency key has not finished; it may have sent the message.");
            }

            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            delay = delay * 2 < MaxPollDelay ? delay * 2 : MaxPollDelay;
            var current = await idempotencyStore.GetAsync(scopedKey, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                // The first send released the key (nothing was sent): this one may try.
                return null;
            }

            record = current;
        }

        if (record.RequestFingerprint is { } first && !string.Equals(first, fingerprint, StringComparison.Ordinal))
        {
            throw new IdempotencyKeyMismatchException(message.IdempotencyKey!, record.MessageSid);
        }

        return Duplicate(message, record, record.Outcome == MessageSendOutcome.MaybeSent
            ? "An earlier send with the same idempotency key may have sent the message" + (record.ErrorMessage is { } why ? $": {why}" : ".")
            : null);
    }

    private MessageSendResult Duplicate(OutboundMessage message, MessageIdempotencyRecord record, string? reason)
    {
        MessagingLog.Duplicate(logger, message.Channel, account);
        var status = record.Status is null ? default : new MessageStatus(record.Status);
        return new MessageSendResult
        {
            Outcome = record.Outcome,
            To = record.To ?? message.To,
            MessageSid = record.MessageSid,
            Status = status,
            Segments = record.Segments,
            Price = record.Price,
            PriceUnit = record.PriceUnit,
            ErrorCode = record.ErrorCode,
            ErrorMessage = reason ?? record.ErrorMessage,
            ErrorCategory = record.Outcome == MessageSendOutcome.MaybeSent
                ? record.HttpStatus is >= 500 ? MessageErrorCategory.Retryable : MessageErrorCategory.Other
                : status.IsFailure || record.ErrorCode is not null ? MessageErrorClassifier.ClassifyStatusCallback(record.ErrorCode) : MessageErrorCategory.None,
            HttpStatus = record.HttpStatus is { } http ? (HttpStatusCode)http : null,
            IdempotencyKey = message.IdempotencyKey,
            IsDuplicate = true,
            ContentSid = record.ContentSid,
        };
    }

    private static MessageIdempotencyRecord Record(string key, string fingerprint, MessageSendResult result) => new()
    {
        Key = key,
        IsCompleted = true,
        Outcome = result.Outcome,
        To = result.To,
        MessageSid = result.MessageSid,
        Status = result.Status.IsEmpty ? null : result.Status.Value,
        ContentSid = result.ContentSid,
        RequestFingerprint = fingerprint,
        Segments = result.Segments,
        Price = result.Price,
        PriceUnit = result.PriceUnit,
        ErrorCode = result.ErrorCode,
        ErrorMessage = result.ErrorMessage,
        HttpStatus = result.HttpStatus is { } status ? (int)status : null,
    };

    /// <summary>
    /// Computes a fingerprint for <see cref="OutboundMessage.RequestFingerprint"/> from named fields of the caller's request:
    /// a SHA-256 of the fields in order, names and values length-prefixed, so two lists give the same fingerprint only when
    /// they hold the same fields. It is the format <see cref="SendAsync"/> uses for a request's own form fields.
    /// </summary>
    /// <param name="fields">The fields in a fixed order; a field whose value is <see langword="null"/> is left out.</param>
    /// <returns>The fingerprint: <c>v1:</c> and 64 hexadecimal digits.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="fields"/> is <see langword="null"/>.</exception>
    public static string ComputeRequestFingerprint(IEnumerable<KeyValuePair<string, string?>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var text = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                AppendField(text, name, value);
            }
        }

        return Hash(text);
    }

    /// <summary>A SHA-256 of the request's form fields in order (names and values length-prefixed), as hex.</summary>
    internal static string Fingerprint(IReadOnlyList<KeyValuePair<string, string>> form)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in form)
        {
            AppendField(text, name, value);
        }

        return Hash(text);
    }

    private static void AppendField(StringBuilder text, string name, string value) =>
        text.Append(name.Length).Append(':').Append(name).Append('=').Append(value.Length).Append(':').Append(value).Append('&');

    private static string Hash(StringBuilder text) => "v1:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));

    private static MessageSendResult ToResult(MessageResourceDto dto, string to, string? idempotencyKey, string? contentSid, HttpStatusCode? httpStatus)
    {
        var status = string.IsNullOrEmpty(dto.Status) ? default : new MessageStatus(dto.Status);
        var category = status.IsFailure || dto.ErrorCode is not null ? MessageErrorClassifier.ClassifyStatusCallback(dto.ErrorCode) : MessageErrorCategory.None;
        return new MessageSendResult
        {
            Outcome = MessageSendOutcome.Accepted,
            To = to,
            MessageSid = dto.Sid,
            Status = status,
            Segments = dto.NumSegments,
            Price = dto.Price,
            PriceUnit = dto.PriceUnit,
            ErrorCode = dto.ErrorCode,
            ErrorMessage = dto.ErrorMessage,
            ErrorCategory = category,
            HttpStatus = httpStatus,
            IdempotencyKey = idempotencyKey,
            ContentSid = contentSid,
        };
    }
}
