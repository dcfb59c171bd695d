using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OmniChannel.Messaging.AspNetCore.Internal;

/// <summary>Validates the receiver's options at start: limits, routes, tokens, and AllowUnsigned outside Development.</summary>
internal sealed class WebhookOptionsValidator(
    IOptionsMonitor<OmniChannelMessagingOptions> accounts,
    IEnumerable<WebhookAccountRegistration> registrations,
    IHostEnvironment? environment = null) : IValidateOptions<TwilioWebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, TwilioWebhookOptions options)
    {
        if (!string.IsNullOrEmpty(name))
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        if (options.MaxBodySize is < 1 or > 16 * 1024 * 1024)
        {
            errors.Add($"TwilioWebhookOptions.MaxBodySize must be between 1 and 16777216 bytes (was {options.MaxBodySize}).");
        }

        if (options.QueueCapacity < 1)
        {
            errors.Add($"TwilioWebhookOptions.QueueCapacity must be at least 1 (was {options.QueueCapacity}).");
        }

        if (options.WorkerConcurrency is < 1 or > 1024)
        {
            errors.Add($"TwilioWebhookOptions.WorkerConcurrency must be between 1 and 1024 (was {options.WorkerConcurrency}).");
        }

        if (options.HandlerRetryCount is < 0 or > 20)
        {
            errors.Add($"TwilioWebhookOptions.HandlerRetryCount must be between 0 and 20 (was {options.HandlerRetryCount}).");
        }

        if (options.HandlerRetryDelay < TimeSpan.Zero || options.DedupeTimeToLive <= TimeSpan.Zero || options.RetryAfter < TimeSpan.Zero)
        {
            errors.Add("TwilioWebhookOptions.HandlerRetryDelay and RetryAfter must not be negative, DedupeTimeToLive must be positive.");
        }

        if (options.OutboxLease <= TimeSpan.Zero)
        {
            errors.Add($"TwilioWebhookOptions.OutboxLease must be positive (was {options.OutboxLease}).");
        }

        if (options.OutboxPollInterval <= TimeSpan.Zero)
        {
            errors.Add($"TwilioWebhookOptions.OutboxPollInterval must be positive (was {options.OutboxPollInterval}).");
        }

        if (options.OutboxMaxAttempts < 1)
        {
            errors.Add($"TwilioWebhookOptions.OutboxMaxAttempts must be at least 1 (was {options.OutboxMaxAttempts}).");
        }

        var routes = new[] { options.InboundMessageRoute, options.StatusCallbackRoute, options.ConversationEventRoute };
        if (routes.Any(string.IsNullOrWhiteSpace) || routes.Distinct(StringComparer.OrdinalIgnoreCase).Count() != routes.Length)
        {
            errors.Add("TwilioWebhookOptions route names must be set and distinct.");
        }

        if (options.PublicBaseUrl is { } baseUrl && (!baseUrl.IsAbsoluteUri || baseUrl.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(baseUrl.Query)))
        {
            errors.Add("TwilioWebhookOptions.PublicBaseUrl must be an absolute http(s) URL without a query.");
        }

        if (options.AuthTokens.Any(string.IsNullOrWhiteSpace) || options.AccountAuthTokens.Values.Any(list => list is null || list.Count == 0 || list.Any(string.IsNullOrWhiteSpace)))
        {
            errors.Add("TwilioWebhookOptions auth tokens must not be empty.");
        }

        if (options.AccountAuthTokens.Keys.Any(sid => !TwilioSid.IsValid(sid, "AC")))
        {
            errors.Add("TwilioWebhookOptions.AccountAuthTokens keys must be account SIDs (AC followed by 32 hexadecimal characters).");
        }

        if (options.AllowUnsigned)
        {
            if (environment is null || !environment.IsDevelopment())
            {
                errors.Add($"TwilioWebhookOptions.AllowUnsigned is refused outside the Development environment (the environment is '{environment?.EnvironmentName ?? "unknown"}').");
            }
        }
        else
        {
            var (global, perAccount) = SignatureKeyRing.Collect(options, accounts, registrations);
            if (global.Count == 0 && perAccount.Count == 0)
            {
                errors.Add("No auth token to check webhook signatures with: set the account's AuthToken, or TwilioWebhookOptions.AuthTokens / AccountAuthTokens.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
