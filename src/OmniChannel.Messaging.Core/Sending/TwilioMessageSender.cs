using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OmniChannel.Messaging.Sending.Internal;
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
/// are retried only when Twilio did not process them (HTTP 429, or a connection that never opened); a POST that timed out
/// or lost its connection after it left is reported as <see cref="MessageSendOutcome.MaybeSent"/>, never repeated.
/// It is thread-safe.
/// </remarks>
public sealed class TwilioMessageSender
{
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromMilliseconds(200);
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

    /// <summary>Sends a message after the suppression pre-check, honouring its idempotency key.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">The token to cancel the send with.</param>
    /// <returns>The result; failures are results, not exceptions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The message breaks Twilio's request rules (a bad SID, no sender, no content, a schedule without a Messaging Service).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async Task<MessageSendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        Validate(message);
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

        if (await suppressionList.IsSuppressedAsync(message.Channel, message.SuppressionScope, message.To, cancellationToken).ConfigureAwait(false))
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

        if (message.IdempotencyKey is not { } key)
        {
            return await CreateAsync(message, cancellationToken).ConfigureAwait(false);
        }

        var scopedKey = $"{account}|{message.Channel}|{key}";
        var existing = await idempotencyStore.TryReserveAsync(scopedKey, IdempotencyWaitTimeout, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return await AwaitFirstAsync(message, scopedKey, existing, cancellationToken).ConfigureAwait(false);
        }

        MessageSendResult result;
        try
        {
            result = await CreateAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The request may have left before the cancellation: keep the key so a retry does not send twice.
            await idempotencyStore.CompleteAsync(Record(scopedKey, MessageSendOutcome.MaybeSent, message.To, null, null, message.ContentSid), IdempotencyKeyLifetime, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (result.Outcome is MessageSendOutcome.Accepted or MessageSendOutcome.MaybeSent)
        {
            await idempotencyStore.CompleteAsync(
                Record(scopedKey, result.Outcome, result.To, result.MessageSid, result.Status.IsEmpty ? null : result.Status.Value, result.ContentSid),
                IdempotencyKeyLifetime,
                CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            // Nothing was sent (Twilio refused it), so the key may be used again.
            await idempotencyStore.ReleaseAsync(scopedKey, CancellationToken.None).ConfigureAwait(false);
        }

        return result;
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
        var dto = await client.SendAsync(request, MessageJsonContext.Default.MessageResourceDto, cancellationToken).ConfigureAwait(false);
        return ToResult(dto, dto.To ?? string.Empty, null, null);
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
    /// <typeparam name="TMessage">The channel's message type.</typeparam>
    /// <param name="messages">The messages.</param>
    /// <param name="send">The single-message send, for example <c>ISmsClient.SendAsync</c>.</param>
    /// <param name="maxConcurrency">The most sends in flight at once.</param>
    /// <param name="cancellationToken">The token to cancel the batch with.</param>
    /// <returns>The results, in the order of <paramref name="messages"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> or <paramref name="send"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxConcurrency"/> is less than 1.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<IReadOnlyList<MessageSendResult>> SendManyAsync<TMessage>(
        IEnumerable<TMessage> messages,
        Func<TMessage, CancellationToken, Task<MessageSendResult>> send,
        int maxConcurrency,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(send);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        var items = messages as IReadOnlyList<TMessage> ?? messages.ToArray();
        var results = new MessageSendResult[items.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), options, async (index, token) =>
        {
            results[index] = await send(items[index], token).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return results;
    }

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

    private static void Validate(OutboundMessage message)
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

        if (message.SendAt is not null && message.MessagingServiceSid is null)
        {
            throw new ArgumentException("A scheduled message (SendAt) must be sent through a Messaging Service.", nameof(message));
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

    private async Task<MessageSendResult> CreateAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var request = BuildRequest(message);
        try
        {
            var dto = await client.SendAsync(request, MessageJsonContext.Default.MessageResourceDto, cancellationToken).ConfigureAwait(false);
            return ToResult(dto, message.To, message.IdempotencyKey, message.ContentSid);
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

            return new MessageSendResult
            {
                Outcome = category == MessageErrorCategory.TemplateRequired ? MessageSendOutcome.TemplateRequired : MessageSendOutcome.Failed,
                To = message.To,
                ErrorCode = exception.ErrorCode,
                ErrorMessage = exception.TwilioMessage,
                ErrorCategory = category,
                HttpStatus = exception.Status,
                RetryAfter = exception.RetryAfter,
                IdempotencyKey = message.IdempotencyKey,
                ContentSid = message.ContentSid,
            };
        }
        catch (Exception exception) when (IsNotSent(exception, cancellationToken))
        {
            return new MessageSendResult
            {
                Outcome = MessageSendOutcome.Failed,
                To = message.To,
                ErrorCategory = MessageErrorCategory.Retryable,
                ErrorMessage = exception is BrokenCircuitException
                    ? "The circuit to Twilio is open after repeated failures; nothing was sent."
                    : exception is RateLimiterRejectedException
                        ? "The client-side rate limiter's queue is full; nothing was sent."
                        : "The connection to Twilio could not be opened; nothing was sent.",
                IdempotencyKey = message.IdempotencyKey,
                ContentSid = message.ContentSid,
            };
        }
        catch (Exception exception) when (IsMaybeSent(exception, cancellationToken))
        {
            var reason = exception is TimeoutRejectedException ? "timed out" : $"connection lost ({((HttpRequestException)exception).HttpRequestError})";
            MessagingLog.MaybeSent(logger, message.Channel, reason, account);
            return new MessageSendResult
            {
                Outcome = MessageSendOutcome.MaybeSent,
                To = message.To,
                ErrorCategory = MessageErrorCategory.Other,
                ErrorMessage = $"The request to Twilio {reason} after it was sent; the message may have been sent. Reconcile before sending again.",
                IdempotencyKey = message.IdempotencyKey,
                ContentSid = message.ContentSid,
            };
        }
    }

    private static bool IsNotSent(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && exception switch
        {
            BrokenCircuitException or RateLimiterRejectedException => true,
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError } => true,
            _ => false,
        };

    private static bool IsMaybeSent(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && exception is TimeoutRejectedException or HttpRequestException;

    private async Task<MessageSendResult> AwaitFirstAsync(OutboundMessage message, string scopedKey, MessageIdempotencyRecord record, CancellationToken cancellationToken)
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
                return await SendAsync(message, cancellationToken).ConfigureAwait(false);
            }

            record = current;
        }

        return Duplicate(message, record, record.Outcome == MessageSendOutcome.MaybeSent
            ? "An earlier send with the same idempotency key may have sent the message."
            : null);
    }

    private MessageSendResult Duplicate(OutboundMessage message, MessageIdempotencyRecord record, string? reason)
    {
        MessagingLog.Duplicate(logger, message.Channel, account);
        return new MessageSendResult
        {
            Outcome = record.Outcome,
            To = record.To ?? message.To,
            MessageSid = record.MessageSid,
            Status = record.Status is null ? default : new MessageStatus(record.Status),
            ErrorMessage = reason,
            ErrorCategory = record.Outcome == MessageSendOutcome.MaybeSent ? MessageErrorCategory.Other : MessageErrorCategory.None,
            IdempotencyKey = message.IdempotencyKey,
            IsDuplicate = true,
            ContentSid = record.ContentSid,
        };
    }

    private static MessageIdempotencyRecord Record(string key, MessageSendOutcome outcome, string to, string? sid, string? status, string? contentSid) => new()
    {
        Key = key,
        IsCompleted = true,
        Outcome = outcome,
        To = to,
        MessageSid = sid,
        Status = status,
        ContentSid = contentSid,
    };

    private static MessageSendResult ToResult(MessageResourceDto dto, string to, string? idempotencyKey, string? contentSid)
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
            HttpStatus = HttpStatusCode.Created,
            IdempotencyKey = idempotencyKey,
            ContentSid = contentSid,
        };
    }
}
