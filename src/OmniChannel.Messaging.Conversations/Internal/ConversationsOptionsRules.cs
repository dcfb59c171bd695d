namespace OmniChannel.Messaging.Conversations.Internal;

/// <summary>The rules for <see cref="ConversationsOptions"/>, checked at start for every account that registered the client; messages name the bad value.</summary>
internal static class ConversationsOptionsRules
{
    public static List<string> Check(ConversationsOptions options)
    {
        var failures = new List<string>();
        if (options.ServiceSid is not null && !TwilioSid.IsValid(options.ServiceSid, "IS"))
        {
            failures.Add($"Conversations ServiceSid: {TwilioSid.Describe(options.ServiceSid, "IS")}");
        }

        if (options.UniqueNameCacheDuration < TimeSpan.Zero)
        {
            failures.Add($"Conversations UniqueNameCacheDuration ({options.UniqueNameCacheDuration}) must not be negative.");
        }

        if (options.ParticipantCacheDuration < TimeSpan.Zero)
        {
            failures.Add($"Conversations ParticipantCacheDuration ({options.ParticipantCacheDuration}) must not be negative.");
        }

        if (options.CacheSizeLimit < 1)
        {
            failures.Add($"Conversations CacheSizeLimit ({options.CacheSizeLimit}) must be at least 1.");
        }

        if (options.ConflictRetries is < 0 or > 10)
        {
            failures.Add($"Conversations ConflictRetries ({options.ConflictRetries}) must be between 0 and 10.");
        }

        if (options.DefaultRegion is not null && (options.DefaultRegion.Length != 2 || !options.DefaultRegion.All(char.IsAsciiLetterUpper)))
        {
            failures.Add($"Conversations DefaultRegion '{options.DefaultRegion}' must be an ISO 3166 two-letter code in capitals, such as 'US'.");
        }

        return failures;
    }
}
