using System.Text;

namespace OmniChannel.Messaging.Transport.Internal;

/// <summary>Builds the Basic credential: the API key when one is set (preferred), else the account SID and auth token.</summary>
internal static class TwilioCredentials
{
    public static string BasicParameter(OmniChannelMessagingOptions options, string account)
    {
        string user;
        string password;
        if (!string.IsNullOrEmpty(options.ApiKeySid) && !string.IsNullOrEmpty(options.ApiKeySecret))
        {
            user = options.ApiKeySid;
            password = options.ApiKeySecret;
        }
        else if (!string.IsNullOrEmpty(options.AccountSid) && !string.IsNullOrEmpty(options.AuthToken))
        {
            user = options.AccountSid;
            password = options.AuthToken;
        }
        else
        {
            throw new InvalidOperationException(
                $"The Twilio account '{account}' has no credentials: set ApiKeySid and ApiKeySecret (preferred) or AuthToken.");
        }

        return Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
    }
}
