using System.Globalization;

namespace OmniChannel.Messaging.WhatsApp.Internal;

/// <summary>
/// The WhatsApp client: normalizes the recipient, applies the window, consent and media policies, then runs Core's send
/// pipeline. A 63016 answer or callback marks the window closed in the last-inbound store (shared by every instance when
/// the store is) until a newer inbound message is stored.
/// </summary>
internal sealed class WhatsAppClient(
    TwilioMessageSender sender,
    WhatsAppOptions options,
    IPhoneNumberNormalizer normalizer,
    CustomerServiceWindow window,
    ILastInboundStore lastInboundStore,
    IConsentStore consentStore,
    ISuppressionList suppressionList,
    TimeProvider timeProvider) : IWhatsAppClient
{
    private const string Prefix = "whatsapp:";

    private string SenderAddress => options.From!;

    private SuppressionScope Scope => options.MessagingServiceSid is { } mg ? SuppressionScope.MessagingService(mg) : SuppressionScope.Sender(SenderAddress);

    public async Task<MessageSendResult> SendAsync(WhatsAppMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        Validate(message);
        if (!TryNormalize(message.To, out var to, out var error))
        {
            return Skipped(message, message.To, MessageSendOutcome.InvalidRecipient, MessageErrorCategory.Recipient, error);
        }

        // The fingerprint of what the caller asked for, worked out once and only when a key needs it.
        var fingerprint = message.IdempotencyKey is null ? null : Fingerprint(message, to);

        // A retry returns the first result before any policy runs: the recipient may have opted out, the window closed or
        // SendAt come near since, and none of that changes what the first send did.
        if (message.IdempotencyKey is { } retryKey && await PreviousAsync(message, to, retryKey, fingerprint, cancellationToken).ConfigureAwait(false) is { } previous)
        {
            return previous;
        }

        // Checked first so an opted-out recipient is reported as suppressed, whatever the window says.
        if (await suppressionList.IsSuppressedAsync(MessagingChannel.WhatsApp, Scope, to, cancellationToken).ConfigureAwait(false))
        {
            return Skipped(message, to, MessageSendOutcome.Suppressed, MessageErrorCategory.Recipient,
                $"The recipient opted out of WhatsApp messages from {Scope}; nothing was sent.");
        }

        if (message.Template is { } template)
        {
            return await SendTemplateAsync(message, to, template, null, fingerprint, preSendChecksDone: true, cancellationToken).ConfigureAwait(false);
        }

        if (MediaProblem(message.Media) is { } problem)
        {
            return Skipped(message, to, MessageSendOutcome.InvalidContent, MessageErrorCategory.Other, problem);
        }

        if (options.EnforceCustomerServiceWindow)
        {
            // A scheduled message is judged at its SendAt: Twilio checks the window when it sends, so the window must
            // still be open then, not only now.
            var decision = await EvaluateAsync(to, cancellationToken).ConfigureAwait(false);
            var judgedAt = message.SendAt is { } sendAt && sendAt > decision.EvaluatedAt ? sendAt : decision.EvaluatedAt;
            if (decision.ExpiresAt is not { } expires || judgedAt >= expires)
            {
                return message.FallbackTemplate is { } fallback
                    ? await SendTemplateAsync(message, to, fallback, null, fingerprint, preSendChecksDone: true, cancellationToken).ConfigureAwait(false)
                    : Skipped(message, to, MessageSendOutcome.TemplateRequired, MessageErrorCategory.TemplateRequired, WindowClosedMessage(decision, message.SendAt));
            }
        }

        var sentAt = timeProvider.GetUtcNow();
        // This client made the idempotency look-up and the suppression check above, so the sender skips them.
        var result = await sender.SendAsync(Outbound(message, to, message.IdempotencyKey, fingerprint, preSendChecksDone: true), cancellationToken).ConfigureAwait(false);
        if (result.ErrorCode == MessageErrorClassifier.OutsideWindowCode && !result.IsDuplicate)
        {
            // Twilio says the window is closed although our store said open (an inbound message it never saw here, or clock skew).
            await MarkClosedAsync(to, sentAt, cancellationToken).ConfigureAwait(false);
            if (message.FallbackTemplate is { } fallback)
            {
                // The free-form message failed for certain, so sending the template now cannot duplicate it. A synchronous
                // 63016 released the idempotency key, so the template takes it (a repeat of this send then returns the
                // template's result); a message created and failed at once keeps the key, so the template gets its own.
                var key = result.Outcome == MessageSendOutcome.Accepted && message.IdempotencyKey is not null
                    ? TemplateKey(message.IdempotencyKey)
                    : message.IdempotencyKey;
                return await SendTemplateAsync(message, to, fallback, key, fingerprint, preSendChecksDone: true, cancellationToken).ConfigureAwait(false);
            }

            return TemplateRequired(result);
        }

        return result;
    }

    /// <summary>
    /// The result of an earlier send with the key, as the first call reported it; <see langword="null"/> when there is none.
    /// </summary>
    private async Task<MessageSendResult?> PreviousAsync(WhatsAppMessage message, string to, string key, string? fingerprint, CancellationToken cancellationToken)
    {
        var first = await sender.FindPreviousResultAsync(Outbound(message, to, key, fingerprint), cancellationToken).ConfigureAwait(false);
        if (first is null || message.Template is not null || first.Outcome != MessageSendOutcome.Accepted || first.ErrorCode != MessageErrorClassifier.OutsideWindowCode)
        {
            return first;
        }

        // The free-form message was created and failed at once with 63016, so the key holds that failed message. The
        // first call then sent the fallback template under its own key: return that. If the template was never sent (its
        // send was refused and released the key, or the process stopped in between), sending it now cannot duplicate.
        if (message.FallbackTemplate is { } fallback)
        {
            var templateKey = TemplateKey(key);
            // The suppression check has not run yet on this path, so the sender makes it.
            return await sender.FindPreviousResultAsync(Outbound(message, to, templateKey, fingerprint), cancellationToken).ConfigureAwait(false)
                ?? await SendTemplateAsync(message, to, fallback, templateKey, fingerprint, preSendChecksDone: false, cancellationToken).ConfigureAwait(false);
        }

        return TemplateRequired(first);
    }

    private static string TemplateKey(string key) => key + ":template";

    private static MessageSendResult TemplateRequired(MessageSendResult result) => new()
    {
        Outcome = MessageSendOutcome.TemplateRequired,
        To = result.To,
        MessageSid = result.MessageSid,
        Status = result.Status,
        ErrorCode = result.ErrorCode,
        ErrorMessage = result.ErrorMessage,
        ErrorCategory = MessageErrorCategory.TemplateRequired,
        HttpStatus = result.HttpStatus,
        IdempotencyKey = result.IdempotencyKey,
        IsDuplicate = result.IsDuplicate,
    };

    public Task<IReadOnlyList<MessageSendResult>> SendManyAsync(IEnumerable<WhatsAppMessage> messages, CancellationToken cancellationToken = default) =>
        TwilioMessageSender.SendManyAsync(messages, SendAsync, static m => m.To, static m => m.IdempotencyKey, options.MaxConcurrency, cancellationToken);

    public ValueTask<CustomerServiceWindowDecision> GetWindowAsync(string recipient, CancellationToken cancellationToken = default)
    {
        if (!TryNormalize(recipient, out var to, out var error))
        {
            throw new FormatException(error);
        }

        return EvaluateAsync(to, cancellationToken);
    }

    public async ValueTask<MessageErrorCategory> ApplyStatusCallbackAsync(string recipient, MessageStatus status, int? errorCode, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        var to = TryNormalize(recipient, out var normalized, out _) ? normalized : recipient;
        if (errorCode == MessageErrorClassifier.OutsideWindowCode)
        {
            await MarkClosedAsync(to, null, cancellationToken).ConfigureAwait(false);
        }

        return await sender.ApplyStatusCallbackAsync(MessagingChannel.WhatsApp, Scope, to, status, errorCode, cancellationToken).ConfigureAwait(false);
    }

    private static void Validate(WhatsAppMessage message)
    {
        if (message.Template is not null && (message.Body is not null || message.Media.Count > 0))
        {
            throw new ArgumentException("A template message carries no Body or Media: the template holds the content.", nameof(message));
        }

        if (message.Template is null && message.Body is null && message.Media.Count == 0)
        {
            throw new ArgumentException("A WhatsApp message needs a Body, a Media item or a Template.", nameof(message));
        }

        if (message.Media.Count > 1)
        {
            throw new ArgumentException($"WhatsApp carries one media item per message; {message.Media.Count} were given. Send them as separate messages.", nameof(message));
        }
    }

    private async Task<MessageSendResult> SendTemplateAsync(
        WhatsAppMessage message, string to, WhatsAppTemplate template, string? idempotencyKey, string? fingerprint, bool preSendChecksDone, CancellationToken cancellationToken)
    {
        if (options.RequireConsentForTemplates)
        {
            var consent = await consentStore.GetAsync(MessagingChannel.WhatsApp, to, cancellationToken).ConfigureAwait(false);
            if (consent is not { IsActive: true })
            {
                return Skipped(message, to, MessageSendOutcome.ConsentRequired, MessageErrorCategory.Recipient,
                    consent is null ? "No WhatsApp opt-in is recorded for the recipient; templates need one." : "The recipient withdrew WhatsApp consent.");
            }
        }

        var outbound = new OutboundMessage(MessagingChannel.WhatsApp, to)
        {
            MessagingServiceSid = options.MessagingServiceSid,
            From = options.MessagingServiceSid is null ? SenderAddress : null,
            ContentSid = template.ContentSid,
            ContentVariables = template.ToContentVariablesJson(),
            StatusCallback = message.StatusCallback ?? options.StatusCallback,
            ValidityPeriod = message.ValidityPeriod,
            ShortenUrls = message.ShortenUrls,
            ProvideFeedback = message.ProvideFeedback,
            SendAt = message.SendAt,
            IdempotencyKey = idempotencyKey ?? message.IdempotencyKey,
            RequestFingerprint = fingerprint,
            PreSendChecksDone = preSendChecksDone,
        };
        return await sender.SendAsync(outbound, cancellationToken).ConfigureAwait(false);
    }

    private OutboundMessage Outbound(WhatsAppMessage message, string to, string? idempotencyKey, string? fingerprint, bool preSendChecksDone = false) => new(MessagingChannel.WhatsApp, to)
    {
        MessagingServiceSid = options.MessagingServiceSid,
        From = options.MessagingServiceSid is null ? SenderAddress : null,
        Body = message.Body,
        MediaUrls = message.Media.Select(m => m.Url).ToArray(),
        StatusCallback = message.StatusCallback ?? options.StatusCallback,
        ValidityPeriod = message.ValidityPeriod,
        ShortenUrls = message.ShortenUrls,
        ProvideFeedback = message.ProvideFeedback,
        SendAt = message.SendAt,
        IdempotencyKey = idempotencyKey,
        RequestFingerprint = fingerprint,
        PreSendChecksDone = preSendChecksDone,
    };

    /// <summary>
    /// A SHA-256 of what the caller asked for (not of what is sent: outside the window a session message goes out as its
    /// fallback template, and a repeat once the window opened must still count as the same request).
    /// </summary>
    private static string Fingerprint(WhatsAppMessage message, string to)
    {
        var media = message.Media.Count == 0 ? null : message.Media[0];
        return TwilioMessageSender.ComputeRequestFingerprint(
        [
            new("To", to),
            new("Body", message.Body),
            new("Media", media?.Url.AbsoluteUri),
            new("MediaType", media?.ContentType),
            new("Template", message.Template?.ContentSid),
            new("TemplateVariables", message.Template?.ToContentVariablesJson()),
            new("Fallback", message.FallbackTemplate?.ContentSid),
            new("FallbackVariables", message.FallbackTemplate?.ToContentVariablesJson()),
            new("StatusCallback", message.StatusCallback?.AbsoluteUri),
            new("ValidityPeriod", message.ValidityPeriod?.Ticks.ToString(CultureInfo.InvariantCulture)),
            new("ShortenUrls", message.ShortenUrls?.ToString()),
            new("ProvideFeedback", message.ProvideFeedback?.ToString()),
            new("SendAt", message.SendAt?.UtcTicks.ToString(CultureInfo.InvariantCulture)),
        ]);
    }

    private ValueTask<CustomerServiceWindowDecision> EvaluateAsync(string to, CancellationToken cancellationToken) =>
        window.EvaluateAsync(lastInboundStore, SenderAddress, to, cancellationToken);

    private async ValueTask MarkClosedAsync(string to, DateTimeOffset? sentAt, CancellationToken cancellationToken)
    {
        // Recorded in the shared store, so every instance sending from this sender stops free-form messages too.
        var record = await lastInboundStore.GetAsync(SenderAddress, to, cancellationToken).ConfigureAwait(false);
        if (sentAt is { } sent && record?.LastInboundAt > sent)
        {
            // The user wrote after our message left: the 63016 is about the window before that, which is open again now.
            return;
        }

        await lastInboundStore.RecordWindowClosedAsync(SenderAddress, to, record?.LastInboundAt ?? DateTimeOffset.UnixEpoch, cancellationToken).ConfigureAwait(false);
    }

    private string? MediaProblem(IReadOnlyList<WhatsAppMedia> media)
    {
        foreach (var item in media)
        {
            var type = item.ContentType ?? MediaTypes.FromUrl(item.Url);
            if (type is null)
            {
                return $"The media type of '{item.Url.GetLeftPart(UriPartial.Path)}' is unknown: pass WhatsAppMedia.ContentType.";
            }

            var semicolon = type.IndexOf(';', StringComparison.Ordinal);
            type = (semicolon >= 0 ? type[..semicolon] : type).Trim();
            if (!options.MediaSizeLimits.TryGetValue(type, out var limit))
            {
                return $"The media type '{type}' is not allowed for WhatsApp (allowed: {string.Join(", ", options.MediaSizeLimits.Keys.Order(StringComparer.Ordinal))}).";
            }

            if (item.SizeBytes is { } size && size > limit)
            {
                return $"The {type} media is {size.ToString(CultureInfo.InvariantCulture)} bytes; WhatsApp accepts at most {limit.ToString(CultureInfo.InvariantCulture)} bytes for this type.";
            }
        }

        return null;
    }

    private bool TryNormalize(string input, out string to, out string error)
    {
        if (normalizer.TryNormalize(input, options.DefaultRegion, PhoneNumberParseOptions.None, out var number, out var failure))
        {
            to = Prefix + number.ToString();
            error = string.Empty;
            return true;
        }

        to = input;
        error = failure.Message;
        return false;
    }

    private string WindowClosedMessage(CustomerServiceWindowDecision decision, DateTimeOffset? sendAt) =>
        decision.IsOpen && sendAt is { } at && decision.ExpiresAt is { } closes
            ? $"The 24-hour customer service window closes at {closes.ToString("O", CultureInfo.InvariantCulture)}, before the message's SendAt {at.ToString("O", CultureInfo.InvariantCulture)}; Twilio would fail it with 63016. Send a template (ContentSid) or pass a FallbackTemplate."
        : decision.ExpiresAt is { } expires
            ? $"The 24-hour customer service window closed at {expires.ToString("O", CultureInfo.InvariantCulture)} (now {timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)}); send a template (ContentSid) or pass a FallbackTemplate."
            : "The 24-hour customer service window is not open (the recipient has not written in the last 24 hours); send a template (ContentSid) or pass a FallbackTemplate.";

    private static MessageSendResult Skipped(WhatsAppMessage message, string to, MessageSendOutcome outcome, MessageErrorCategory category, string reason) => new()
    {
        Outcome = outcome,
        To = to,
        ErrorCategory = category,
        ErrorMessage = reason,
        IdempotencyKey = message.IdempotencyKey,
    };
}
