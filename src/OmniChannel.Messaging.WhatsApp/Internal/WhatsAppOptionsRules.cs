namespace OmniChannel.Messaging.WhatsApp.Internal;

/// <summary>The rules for <see cref="WhatsAppOptions"/>, checked at start for every account that registered the client; messages name the bad value.</summary>
internal static class WhatsAppOptionsRules
{
    public static List<string> Check(WhatsAppOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.From))
        {
            failures.Add("WhatsApp From must be set to your sender, 'whatsapp:+E164' (it is also the key of the 24-hour windows).");
        }
        else if (!options.From.StartsWith("whatsapp:+", StringComparison.Ordinal) || !PhoneNumber.TryFromE164(options.From["whatsapp:".Length..], null, out _))
        {
            failures.Add($"WhatsApp From '{options.From}' must be 'whatsapp:' followed by an E.164 number, such as 'whatsapp:+14155238886'.");
        }

        if (options.MessagingServiceSid is not null && !TwilioSid.IsValid(options.MessagingServiceSid, "MG"))
        {
            failures.Add($"WhatsApp MessagingServiceSid: {TwilioSid.Describe(options.MessagingServiceSid, "MG")}");
        }

        if (options.StatusCallback is { } callback && (!callback.IsAbsoluteUri || callback.Scheme is not ("https" or "http") || callback.Host.Contains('_', StringComparison.Ordinal)))
        {
            failures.Add($"WhatsApp StatusCallback '{callback}' must be an absolute http(s) URL whose host has no underscore.");
        }

        if (options.DefaultRegion is not null && (options.DefaultRegion.Length != 2 || !options.DefaultRegion.All(char.IsAsciiLetterUpper)))
        {
            failures.Add($"WhatsApp DefaultRegion '{options.DefaultRegion}' must be an ISO 3166 two-letter code in capitals, such as 'GB'.");
        }

        foreach (var (type, limit) in options.MediaSizeLimits)
        {
            if (string.IsNullOrWhiteSpace(type) || !type.Contains('/', StringComparison.Ordinal) || limit <= 0)
            {
                failures.Add($"WhatsApp MediaSizeLimits entry '{type}' = {limit} must be a MIME type (type/subtype) with a positive byte limit.");
            }
        }

        if (options.MaxConcurrency is < 1 or > 1024)
        {
            failures.Add($"WhatsApp MaxConcurrency ({options.MaxConcurrency}) must be between 1 and 1024.");
        }

        if (options.IdempotencyKeyLifetime <= TimeSpan.Zero || options.IdempotencyWaitTimeout <= TimeSpan.Zero)
        {
            failures.Add("WhatsApp IdempotencyKeyLifetime and IdempotencyWaitTimeout must be positive.");
        }

        return failures;
    }
}
