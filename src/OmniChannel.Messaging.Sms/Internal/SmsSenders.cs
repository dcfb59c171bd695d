namespace OmniChannel.Messaging.Sms.Internal;

/// <summary>The forms of an SMS sender besides a phone number: short codes and alphanumeric sender IDs.</summary>
internal static class SmsSenders
{
    /// <summary>A short code (3 to 8 digits) or an alphanumeric sender ID (1 to 11 letters, digits or spaces, at least one letter).</summary>
    public static bool IsShortCodeOrAlphanumeric(string sender)
    {
        var value = sender.Trim();
        if (value.Length is >= 3 and <= 8 && value.All(char.IsAsciiDigit))
        {
            return true;
        }

        return value.Length is >= 1 and <= 11 && value.Any(char.IsAsciiLetter) && value.All(c => char.IsAsciiLetterOrDigit(c) || c == ' ');
    }
}
