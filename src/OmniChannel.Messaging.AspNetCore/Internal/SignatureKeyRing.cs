using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OmniChannel.Messaging.AspNetCore.Internal;

/// <summary>
/// Holds the validators: one per known account SID (its own tokens) and one with every token, used only when the
/// payload names no known account. A caller cannot pick a token by a header: the AccountSid is inside the signed data.
/// The tokens follow configuration reloads (a rotated token takes effect without a restart); a reload that fails
/// validation is logged and the tokens in use are kept. <see cref="AllowUnsigned"/> is fixed at start.
/// </summary>
internal sealed partial class SignatureKeyRing : IDisposable
{
    private readonly IOptionsMonitor<TwilioWebhookOptions> options;
    private readonly IOptionsMonitor<OmniChannelMessagingOptions> accounts;
    private readonly WebhookAccountRegistration[] registrations;
    private readonly ILogger<SignatureKeyRing> logger;
    private readonly IDisposable? webhookChanges;
    private readonly IDisposable? accountChanges;
    private volatile Validators current;

    public SignatureKeyRing(
        IOptionsMonitor<TwilioWebhookOptions> options,
        IOptionsMonitor<OmniChannelMessagingOptions> accounts,
        IEnumerable<WebhookAccountRegistration> registrations,
        ILogger<SignatureKeyRing> logger)
    {
        this.options = options;
        this.accounts = accounts;
        this.registrations = [.. registrations];
        this.logger = logger;
        current = Build();
        AllowUnsigned = options.CurrentValue.AllowUnsigned;
        webhookChanges = options.OnChange((_, name) => Reload(name));
        accountChanges = accounts.OnChange((_, _) => Reload(Options.DefaultName));
    }

    public TwilioSignatureValidator? Any => current.Any;

    public bool AllowUnsigned { get; }

    public TwilioSignatureValidator? For(string? accountSid)
    {
        var validators = current;
        return accountSid is not null && validators.ByAccount.TryGetValue(accountSid, out var validator) ? validator : validators.Any;
    }

    public void Dispose()
    {
        webhookChanges?.Dispose();
        accountChanges?.Dispose();
    }

    public static (List<string> Global, Dictionary<string, List<string>> PerAccount) Collect(
        TwilioWebhookOptions options,
        IOptionsMonitor<OmniChannelMessagingOptions> accounts,
        IEnumerable<WebhookAccountRegistration> registrations)
    {
        var global = new List<string>();
        var perAccount = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var registration in registrations.DistinctBy(r => r.Name))
        {
            var account = accounts.Get(registration.Name);
            if (string.IsNullOrWhiteSpace(account.AuthToken))
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(account.AccountSid))
            {
                global.Add(account.AuthToken);
            }
            else
            {
                AddTo(perAccount, account.AccountSid, account.AuthToken);
            }
        }

        foreach (var (accountSid, tokens) in options.AccountAuthTokens)
        {
            foreach (var token in tokens)
            {
                AddTo(perAccount, accountSid, token);
            }
        }

        global.AddRange(options.AuthTokens);

        // Tokens accepted for any account also serve every named account (rotation without naming the account).
        foreach (var list in perAccount.Values)
        {
            list.AddRange(options.AuthTokens.Where(t => !list.Contains(t, StringComparer.Ordinal)));
        }

        return (global, perAccount);
    }

    private static void AddTo(Dictionary<string, List<string>> perAccount, string accountSid, string token)
    {
        if (!perAccount.TryGetValue(accountSid, out var list))
        {
            perAccount[accountSid] = list = [];
        }

        if (!list.Contains(token, StringComparer.Ordinal))
        {
            list.Add(token);
        }
    }

    private Validators Build()
    {
        var (global, perAccount) = Collect(options.CurrentValue, accounts, registrations);
        var byAccount = new Dictionary<string, TwilioSignatureValidator>(StringComparer.Ordinal);
        foreach (var (accountSid, tokens) in perAccount)
        {
            byAccount[accountSid] = new TwilioSignatureValidator(tokens);
        }

        var all = global.Concat(perAccount.SelectMany(a => a.Value)).Distinct(StringComparer.Ordinal).ToList();
        return new Validators(byAccount, all.Count == 0 ? null : new TwilioSignatureValidator(all), all.Count);
    }

    private void Reload(string? name)
    {
        if (name != Options.DefaultName)
        {
            return;
        }

        try
        {
            var validators = Build();
            if (validators.TokenCount == 0)
            {
                // Never swap to "no tokens": that would turn every webhook away until the next reload.
                LogReloadRefused(logger, "the reloaded configuration has no auth token");
                return;
            }

            current = validators;
            LogReloaded(logger, validators.TokenCount);
        }
        catch (OptionsValidationException exception)
        {
            LogReloadRefused(logger, exception.Message);
        }
    }

    [LoggerMessage(EventId = 7018, Level = LogLevel.Information, Message = "Twilio webhook auth tokens reloaded from configuration ({TokenCount} tokens)")]
    private static partial void LogReloaded(ILogger logger, int tokenCount);

    [LoggerMessage(EventId = 7019, Level = LogLevel.Error, Message = "Twilio webhook auth tokens not reloaded, the tokens in use are kept: {Reason}")]
    private static partial void LogReloadRefused(ILogger logger, string reason);

    private sealed record Validators(Dictionary<string, TwilioSignatureValidator> ByAccount, TwilioSignatureValidator? Any, int TokenCount);
}
