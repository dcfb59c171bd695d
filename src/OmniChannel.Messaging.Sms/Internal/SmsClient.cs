namespace OmniChannel.Messaging.Sms.Internal;

/// <summary>The SMS client: normalizes the recipient, picks the sender, then runs Core's send pipeline.</summary>
internal sealed class SmsClient(TwilioMessageSender sender, SmsOptions options, IPhoneNumberNormalizer normalizer) : ISmsClient
{
    public Task<MessageSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var messagingServiceSid = message.MessagingServiceSid ?? (message.From is null ? options.MessagingServiceSid : null);
        if (messagingServiceSid is not null)
        {
            TwilioSid.ThrowIfInvalid(messagingServiceSid, "MG", nameof(message.MessagingServiceSid));
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
            From = messagingServiceSid is null ? message.From ?? options.From : null,
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
        TwilioMessageSender.SendManyAsync(messages, SendAsync, options.MaxConcurrency, cancellationToken);

    public Task<MessageSendResult> GetAsync(string messageSid, CancellationToken cancellationToken = default) => sender.GetAsync(messageSid, cancellationToken);

    public ValueTask<MessageErrorCategory> ApplyStatusCallbackAsync(string recipient, MessageStatus status, int? errorCode, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        var to = normalizer.TryNormalize(recipient, options.DefaultRegion, out var number) ? number.ToString() : recipient;
        var scope = options.MessagingServiceSid is { } mg ? SuppressionScope.MessagingService(mg)
            : options.From is { } from ? SuppressionScope.Sender(from)
            : SuppressionScope.All;
        return sender.ApplyStatusCallbackAsync(MessagingChannel.Sms, scope, to, status, errorCode, cancellationToken);
    }
}
