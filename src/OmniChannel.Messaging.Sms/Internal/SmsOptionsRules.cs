namespace OmniChannel.Messaging.Sms.Internal;

/// <summary>The rules for <see cref="SmsOptions"/>, checked at start for every account that registered the client; messages name the bad value.</summary>
internal static class SmsOptionsRules
{
    public static List<string> Check(SmsOptions options)
    {
        var failures = new List<string>();
        if (options.MessagingServiceSid is not null && !TwilioSid.IsValid(options.MessagingServiceSid, "MG"))
        {
            failures.Add($"Sms MessagingServiceSid: {TwilioSid.Describe(options.MessagingServiceSid, "MG")}");
        }

        if (options.MessagingServiceSid is null && string.IsNullOrWhiteSpace(options.From))
        {
            failures.Add("Sms needs a sender: set MessagingServiceSid (MG…, preferred) or From.");
        }

        if (options.From is { } from && from.StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"Sms From '{from}' is a WhatsApp address; use AddWhatsApp for WhatsApp.");
        }

        // A format check at start, with the built-in normalizer (the rules see no services); the client normalizes the
        // sender with the registered IPhoneNumberNormalizer, and fails a message whose own From that normalizer cannot read.
        else if (options.From is { } sender && !string.IsNullOrWhiteSpace(sender) && !SmsSenders.IsShortCodeOrAlphanumeric(sender)
            && !PhoneNumberNormalizer.Default.TryNormalize(sender, options.DefaultRegion, out _))
        {
            failures.Add($"Sms From '{sender}' is neither a phone number (E.164, or national with DefaultRegion), a short code nor an alphanumeric sender ID.");
        }

        if (options.StatusCallback is { } callback && (!callback.IsAbsoluteUri || callback.Scheme is not ("https" or "http") || callback.Host.Contains('_', StringComparison.Ordinal)))
        {
            failures.Add($"Sms StatusCallback '{callback}' must be an absolute http(s) URL whose host has no underscore.");
        }

        if (options.DefaultRegion is not null && (options.DefaultRegion.Length != 2 || !options.DefaultRegion.All(char.IsAsciiLetterUpper)))
        {
            failures.Add($"Sms DefaultRegion '{options.DefaultRegion}' must be an ISO 3166 two-letter code in capitals, such as 'US'.");
        }

        if (options.MaxConcurrency is < 1 or > 1024)
        {
            failures.Add($"Sms MaxConcurrency ({options.MaxConcurrency}) must be between 1 and 1024.");
        }

        if (options.IdempotencyKeyLifetime <= TimeSpan.Zero)
        {
            failures.Add($"Sms IdempotencyKeyLifetime ({options.IdempotencyKeyLifetime}) must be positive.");
        }

        if (options.IdempotencyWaitTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Sms IdempotencyWaitTimeout ({options.IdempotencyWaitTimeout}) must be positive.");
        }

        return failures;
    }
}
