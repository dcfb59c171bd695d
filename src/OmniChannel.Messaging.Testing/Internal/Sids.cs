using System.Security.Cryptography;

namespace OmniChannel.Messaging.Testing.Internal;

/// <summary>Makes Twilio-shaped identifiers: a two-letter prefix and 32 lower-case hexadecimal characters.</summary>
internal static class Sids
{
    public static string New(string prefix) => prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    public static string NewToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
