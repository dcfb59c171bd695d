namespace OmniChannel.Messaging.Sms.Internal;

/// <summary>The SMS client: normalizes the recipient and the sender, picks the sender, then runs Core's send pipeline.</summary>
internal sealed class SmsClient : ISmsClient
{
    private readonly TwilioMessageSender sender;
    private readonly SmsOptions options;
    private readonly IPhoneNumberNormalizer normalizer;
    private readonly string? configuredFrom;

    public SmsClient(TwilioMessageSender sender, SmsOptions options, IPhoneNumberNormalizer normalizer)
    {
        this.sender = sender;
        this.options = options;
        this.normalizer = normalizer;
        configuredFrom = NormalizeSender(options.From);
    }

    public Task<MessageSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (ChannelPrefix(message.To) is { } prefix)
        {
            throw new ArgumentException(
                $"The recipient '{message.To}' is a {prefix} address; ISmsClient sends SMS only. Use IWhatsAppClient for WhatsApp.", nameof(message));
        }

        if (message.From is { } explicitFrom && ChannelPrefix(explicitFrom) is { } fromPrefix)
        {
            throw new ArgumentException($"The sender '{explicitFrom}' is a {fromPrefix} address; ISmsClient sends SMS only.", nameof(message));
        }

        var messagingServiceSid = message.MessagingServiceSid ?? (message.From is null ? options.MessagingServiceSid : null);
        if (messagingServiceSid is not null)
        {
            TwilioSid.ThrowIfInvalid(messagingServiceSid, "MG", nameof(message.MessagingServiceSid));
        }

        var from = messagingServiceSid is null ? configuredFrom : null;
        if (messagingServiceSid is null && message.From is { } own)
        {
            // Fails fast: sent as it is, Twilio would refuse it (21212), and it would be a suppression scope nothing matches.
            from = NormalizeSender(own, out var parsed);
            if (!parsed)
            {
                throw new ArgumentException(
                    $"The sender '{own}' is neither a phone number (E.164, or national with DefaultRegion), a short code nor an alphanumeric sender ID.", nameof(message));
            }
        }

        if (!normalizer.TryNormalize(message.To, options.DefaultRegion, PhoneNumberParseOptions.None, out var number, out var error))
        {
            return Task.FromResult(new MessageSendResult
            {
                Outcome = MessageSendOutcome.InvalidRecipient,
                To = message.To,
                ErrorCategory = MessageErrorCategory.Recipient,
                ErrorMessage = error.Message,
                IdempotencyKey = message.IdempotencyKey,
            });
        }

        var outbound = new OutboundMessage(MessagingChannel.Sms, number.ToString())
        {
            MessagingServiceSid = messagingServiceSid,
            From = from,
            Body = message.Body,
            MediaUrls = message.MediaUrls,
            StatusCallback = message.StatusCallback ?? options.StatusCallback,
            ValidityPeriod = message.ValidityPeriod,
            ProvideFeedback = message.ProvideFeedback,
            ShortenUrls = message.ShortenUrls,
            SmartEncoded = message.SmartEncoded ?? options.SmartEncoded,
            SendAt = message.SendAt,
            IdempotencyKey = message.IdempotencyKey,
        };
        return sender.SendAsync(outbound, cancellationToken);
    }

    public Task<IReadOnlyList<MessageSendResult>> SendManyAsync(IEnumerable<SmsMessage> messages, CancellationToken cancellationToken = default) =>
        TwilioMessageSender.SendManyAsync(messages, SendAsync, static m => m.To, static m => m.IdempotencyKey, options.MaxConcurrency, cancellationToken);

    public Task<MessageSendResult> GetAsync(string messageSid, CancellationToken cancellationToken = default) => sender.GetAsync(messageSid, cancellationToken);

    public ValueTask<MessageErrorCategory> ApplyStatusCallbackAsync(
        string recipient, MessageStatus status, int? errorCode, string? from = null, string? messagingServiceSid = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        var to = normalizer.TryNormalize(recipient, options.DefaultRegion, out var number) ? number.ToString() : recipient;

        // The same scope the webhook pipeline records a late 21610 under: the message's own Messaging Service, else its
        // own sender; the configured sender only when the callback carries neither.
        var scope = SuppressionScope.For(messagingServiceSid, NormalizeSender(from)) is { IsAll: false } own ? own
            : SuppressionScope.For(options.MessagingServiceSid, configuredFrom);
        return sender.ApplyStatusCallbackAsync(MessagingChannel.Sms, scope, to, status, errorCode, cancellationToken);
    }

    /// <summary>
    /// Gets the channel prefix of an address on another channel, such as <c>whatsapp:+1…</c>; <see langword="null"/> for a
    /// plain number, a sender ID, or an SMS number written <c>sms:+1…</c> or <c>tel:+1…</c> (the normalizer reads those).
    /// </summary>
    internal static string? ChannelPrefix(string address)
    {
        var colon = address.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || address.AsSpan(0, colon).Trim() is not { Length: > 0 } name || !char.IsAsciiLetter(name[0]))
        {
            return null;
        }

        return name.Equals("sms", StringComparison.OrdinalIgnoreCase) || name.Equals("tel", StringComparison.OrdinalIgnoreCase) ? null : name.ToString();
    }

    /// <summary>A phone-number sender is written in E.164, as the pipeline's suppression keys are; short codes and alphanumeric IDs are kept.</summary>
    private string? NormalizeSender(string? from) => NormalizeSender(from, out _);

    private string? NormalizeSender(string? from, out bool parsed)
    {
        parsed = true;
        if (from is null)
        {
            return null;
        }

        if (SmsSenders.IsShortCodeOrAlphanumeric(from))
        {
            return from.Trim();
        }

        if (normalizer.TryNormalize(from, options.DefaultRegion, out var number))
        {
            return number.ToString();
        }

        parsed = false;
        return from.Trim();
    }
}
