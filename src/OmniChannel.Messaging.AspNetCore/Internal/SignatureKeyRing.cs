using Microsoft.Extensions.Options;

namespace OmniChannel.Messaging.AspNetCore.Internal;

/// <summary>
/// Holds the validators: one per known account SID (its own tokens) and one with every token, used only when the
/// payload names no known account. A caller cannot pick a token by a header: the AccountSid is inside the signed data.
/// </summary>
internal sealed class SignatureKeyRing
{
    private readonly Dictionary<string, TwilioSignatureValidator> byAccount = new(StringComparer.Ordinal);

    public SignatureKeyRing(
        IOptions<TwilioWebhookOptions> options,
        IOptionsMonitor<OmniChannelMessagingOptions> accounts,
        IEnumerable<WebhookAccountRegistration> registrations)
    {
        var (global, perAccount) = Collect(options.Value, accounts, registrations);
        foreach (var (accountSid, tokens) in perAccount)
        {
            byAccount[accountSid] = new TwilioSignatureValidator(tokens);
        }

        var all = global.Concat(perAccount.SelectMany(a => a.Value)).Distinct(StringComparer.Ordinal).ToList();
        Any = all.Count == 0 ? null : new TwilioSignatureValidator(all);
        AllowUnsigned = options.Value.AllowUnsigned;
    }

    public TwilioSignatureValidator? Any { get; }

    public bool AllowUnsigned { get; }

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

    public TwilioSignatureValidator? For(string? accountSid) =>
        accountSid is not null && byAccount.TryGetValue(accountSid, out var validator) ? validator : Any;

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
}
