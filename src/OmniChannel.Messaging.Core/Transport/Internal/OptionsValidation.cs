using Microsoft.Extensions.Options;

namespace OmniChannel.Messaging.Transport.Internal;

/// <summary>Source-generated checks of the data-annotation attributes on the options.</summary>
[OptionsValidator]
internal sealed partial class OmniChannelMessagingOptionsAttributeValidator : IValidateOptions<OmniChannelMessagingOptions>;

/// <summary>
/// Cross-field checks: SID prefixes and lengths, an API key given whole (SID and secret) or an auth token, or both (the
/// API key then authenticates REST calls, and the auth token is still what webhook signatures are checked with),
/// timeouts that fit together. Messages never echo a
/// credential: a malformed SID may be a secret pasted into the wrong field, so only its first two characters and its
/// length are shown.
/// </summary>
internal sealed class OmniChannelMessagingOptionsValidator(IEnumerable<TwilioAccountRegistration> registrations) : IValidateOptions<OmniChannelMessagingOptions>
{
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private readonly HashSet<string> names = registrations.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);

    public ValidateOptionsResult Validate(string? name, OmniChannelMessagingOptions options)
    {
        name ??= Options.DefaultName;
        if (!names.Contains(name))
        {
            return ValidateOptionsResult.Skip;
        }

        var account = name.Length == 0 ? "the default Twilio account" : $"the Twilio account '{name}'";
        var failures = new List<string>();
        var hasKeySid = !string.IsNullOrEmpty(options.ApiKeySid);
        var hasKeySecret = !string.IsNullOrEmpty(options.ApiKeySecret);
        var hasToken = !string.IsNullOrEmpty(options.AuthToken);

        if (string.IsNullOrEmpty(options.AccountSid))
        {
            failures.Add(hasKeySid
                ? $"ApiKeySid is set for {account} but AccountSid is missing: an API key acts for an account, so set AccountSid (AC…) too. {EnvironmentCredentialsFallback.Rule}"
                : $"AccountSid is required for {account}: set it (AC…) in code or configuration. {EnvironmentCredentialsFallback.Rule}");
        }
        else if (!TwilioSid.IsValid(options.AccountSid, "AC"))
        {
            failures.Add($"AccountSid of {account}: {DescribeWithoutValue(options.AccountSid, "AC")}");
        }

        if (hasKeySid && !TwilioSid.IsValid(options.ApiKeySid, "SK"))
        {
            failures.Add($"ApiKeySid of {account}: {DescribeWithoutValue(options.ApiKeySid!, "SK")}");
        }

        if (hasKeySid && !hasKeySecret)
        {
            failures.Add($"ApiKeySid is set for {account} but ApiKeySecret is missing: set both, in code or configuration or as TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET.");
        }
        else if (hasKeySecret && !hasKeySid)
        {
            failures.Add($"ApiKeySecret is set for {account} but ApiKeySid is missing: set the SK… SID of the key too.");
        }
        else if (!hasKeySid && !hasToken)
        {
            failures.Add($"No credentials for {account}: set ApiKeySid and ApiKeySecret (preferred) or AuthToken, in code or configuration or as the TWILIO_* environment variables.");
        }

        if (hasKeySecret && string.IsNullOrWhiteSpace(options.ApiKeySecret))
        {
            failures.Add($"ApiKeySecret of {account} is blank (value not shown).");
        }

        if (hasToken && string.IsNullOrWhiteSpace(options.AuthToken))
        {
            failures.Add($"AuthToken of {account} is blank (value not shown).");
        }

        CheckBaseUrl(options.ApiBaseUrl, nameof(options.ApiBaseUrl), account, failures);
        CheckBaseUrl(options.ConversationsBaseUrl, nameof(options.ConversationsBaseUrl), account, failures);
        CheckHostLabel(options.Region, nameof(options.Region), account, failures);
        CheckHostLabel(options.Edge, nameof(options.Edge), account, failures);

        CheckSpan(options.AttemptTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1), "AttemptTimeout", account, failures);
        CheckSpan(options.TotalTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1), "TotalTimeout", account, failures);
        if (options.AttemptTimeout > options.TotalTimeout)
        {
            failures.Add($"AttemptTimeout ({options.AttemptTimeout}) of {account} is longer than TotalTimeout ({options.TotalTimeout}).");
        }

        var retry = options.Retry;
        CheckSpan(retry.BaseDelay, TimeSpan.Zero, TimeSpan.FromMinutes(5), "Retry:BaseDelay", account, failures);
        CheckSpan(retry.MaxDelay, TimeSpan.Zero, TimeSpan.FromMinutes(5), "Retry:MaxDelay", account, failures);
        CheckSpan(retry.MaxRetryAfter, TimeSpan.Zero, TimeSpan.FromMinutes(10), "Retry:MaxRetryAfter", account, failures);
        if (retry.MaxDelay < retry.BaseDelay)
        {
            failures.Add($"Retry:MaxDelay ({retry.MaxDelay}) of {account} is shorter than Retry:BaseDelay ({retry.BaseDelay}).");
        }

        var breaker = options.CircuitBreaker;
        CheckSpan(breaker.SamplingDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1), "CircuitBreaker:SamplingDuration", account, failures);
        CheckSpan(breaker.BreakDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1), "CircuitBreaker:BreakDuration", account, failures);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// Describes why a value is not a SID with the given prefix without showing it: its first two characters, its length and
    /// whether the rest is hexadecimal, which is enough to tell a swapped secret or a truncated SID apart.
    /// </summary>
    internal static string DescribeWithoutValue(string value, string prefix)
    {
        var start = value.Length <= 2 ? value : value[..2];
        var characters = value.Length == 1 ? "1 character" : $"{value.Length} characters";
        var hex = value.Length > 2 && value.AsSpan(2).ContainsAnyExcept(HexDigits) ? ", not all hexadecimal after the first two" : string.Empty;
        return $"the value (starts with '{start}', {characters}{hex}; value not shown) is not a valid {prefix} SID: expected '{prefix}' followed by 32 hexadecimal characters ({TwilioSid.Length} characters in all).";
    }

    private static void CheckBaseUrl(Uri? url, string property, string account, List<string> failures)
    {
        if (url is not null && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp) || !string.IsNullOrEmpty(url.Query)))
        {
            failures.Add($"{property} '{TwilioEndpoints.Redact(url)}' of {account} must be an absolute http or https URL without a query string.");
        }
    }

    private static void CheckHostLabel(string? value, string property, string account, List<string> failures)
    {
        if (value is not null && (value.Length == 0 || !value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            failures.Add($"{property} '{value}' of {account} must be a lower-case host label such as 'ie1' or 'dublin'.");
        }
    }

    private static void CheckSpan(TimeSpan value, TimeSpan min, TimeSpan max, string property, string account, List<string> failures)
    {
        if (value < min || value > max)
        {
            failures.Add($"{property} ({value}) of {account} must be between {min} and {max}.");
        }
    }
}

/// <summary>
/// Fills the default account's credentials from the TWILIO_* environment variables, as one set: only when code and
/// configuration set no credential (ApiKeySid, ApiKeySecret, AuthToken), and only when TWILIO_ACCOUNT_SID, if set, names
/// the account the options already name (else the environment's credentials belong to another account).
/// </summary>
internal sealed class EnvironmentCredentialsFallback(Func<string, string?> getVariable) : IPostConfigureOptions<OmniChannelMessagingOptions>
{
    /// <summary>The rule in one sentence, for validation messages.</summary>
    public const string Rule =
        "The TWILIO_* environment variables are read (default account only) as one set, and only when code and configuration set no ApiKeySid, ApiKeySecret or AuthToken.";

    public EnvironmentCredentialsFallback()
        : this(Environment.GetEnvironmentVariable)
    {
    }

    public void PostConfigure(string? name, OmniChannelMessagingOptions options)
    {
        if (!string.IsNullOrEmpty(name)
            || !options.UseEnvironmentVariables
            || !string.IsNullOrEmpty(options.ApiKeySid)
            || !string.IsNullOrEmpty(options.ApiKeySecret)
            || !string.IsNullOrEmpty(options.AuthToken))
        {
            // Credentials set in code or configuration are a set of their own: mixing in the environment's (an API key of
            // another account next to this account's auth token, say) would authenticate as neither.
            return;
        }

        var accountSid = Read("TWILIO_ACCOUNT_SID");
        if (!string.IsNullOrEmpty(options.AccountSid))
        {
            if (accountSid is not null && !string.Equals(accountSid, options.AccountSid, StringComparison.Ordinal))
            {
                return; // the environment's credentials are those of another account
            }
        }
        else
        {
            options.AccountSid = accountSid;
        }

        var keySid = Read("TWILIO_API_KEY_SID");
        var keySecret = Read("TWILIO_API_KEY_SECRET");
        if (keySid is not null || keySecret is not null)
        {
            // As a pair: half a key in the environment reaches validation, which names the missing half.
            options.ApiKeySid = keySid;
            options.ApiKeySecret = keySecret;
        }

        options.AuthToken = Read("TWILIO_AUTH_TOKEN");
    }

    private string? Read(string variable) => getVariable(variable) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
