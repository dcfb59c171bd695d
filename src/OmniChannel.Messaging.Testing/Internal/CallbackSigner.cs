using System.Security.Cryptography;
using System.Text;

namespace OmniChannel.Messaging.Testing.Internal;

/// <summary>
/// Computes <c>X-Twilio-Signature</c> the way Twilio signs form-encoded webhooks: the full URL, then every parameter
/// name followed by its value, names in ordinal order (a repeated name contributes each distinct value, sorted, as the
/// Node and Python helpers do), HMAC-SHA1 keyed with the auth token, Base64.
/// </summary>
internal static class CallbackSigner
{
    public static string ComputeSignature(string authToken, string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var builder = new StringBuilder(url);
        foreach (var group in parameters.GroupBy(p => p.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (var value in group.Select(p => p.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                builder.Append(group.Key).Append(value);
            }
        }

#pragma warning disable CA5350 // Twilio's webhook signature is defined as HMAC-SHA1; the emulator must produce exactly that.
        var hash = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(builder.ToString()));
#pragma warning restore CA5350
        return Convert.ToBase64String(hash);
    }
}
