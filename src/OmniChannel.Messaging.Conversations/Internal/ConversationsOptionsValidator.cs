using Microsoft.Extensions.Options;

namespace OmniChannel.Messaging.Conversations.Internal;

/// <summary>Marks the accounts that registered the Conversations client.</summary>
internal sealed record ConversationsRegistration(string Name);

/// <summary>Checks <see cref="ConversationsOptions"/> at start; messages name the bad value.</summary>
internal sealed class ConversationsOptionsValidator(IEnumerable<ConversationsRegistration> registrations) : IValidateOptions<ConversationsOptions>
{
    private readonly HashSet<string> names = registrations.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);

    public ValidateOptionsResult Validate(string? name, ConversationsOptions options)
    {
        if (!names.Contains(name ?? Options.DefaultName))
        {
            return ValidateOptionsResult.Skip;
        }

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

        if (options.ConflictRetries is < 0 or > 10)
        {
            failures.Add($"Conversations ConflictRetries ({options.ConflictRetries}) must be between 0 and 10.");
        }

        if (options.DefaultRegion is not null && (options.DefaultRegion.Length != 2 || !options.DefaultRegion.All(char.IsAsciiLetterUpper)))
        {
            failures.Add($"Conversations DefaultRegion '{options.DefaultRegion}' must be an ISO 3166 two-letter code in capitals, such as 'US'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
