using System.Runtime.CompilerServices;

namespace OmniChannel.Messaging;

/// <summary>
/// Provides checks for Twilio SIDs: a two-letter prefix naming the resource type (<c>AC</c>, <c>CH</c>, <c>MG</c>, …)
/// followed by 32 hexadecimal characters, 34 in all.
/// </summary>
public static class TwilioSid
{
    /// <summary>The length of every Twilio SID.</summary>
    public const int Length = 34;

    /// <summary>Determines whether a value is a SID with the given prefix.</summary>
    /// <param name="value">The value to check.</param>
    /// <param name="prefix">The expected two-letter prefix, for example <c>CH</c>.</param>
    /// <returns><see langword="true"/> when the value is the prefix followed by 32 hexadecimal characters.</returns>
    public static bool IsValid(string? value, string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (value is null || value.Length != Length || !value.StartsWith(prefix, StringComparison.Ordinal) || prefix.Length != 2)
        {
            return false;
        }

        foreach (var c in value.AsSpan(2))
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws when a value is not a SID with the given prefix; the message names the value and what was expected.</summary>
    /// <param name="value">The value to check.</param>
    /// <param name="prefix">The expected two-letter prefix, for example <c>CH</c>.</param>
    /// <param name="paramName">The parameter name reported in the exception; filled in by the compiler.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not a SID with the prefix.</exception>
    public static void ThrowIfInvalid([System.Diagnostics.CodeAnalysis.NotNull] string? value, string prefix, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        if (!IsValid(value, prefix))
        {
            throw new ArgumentException(Describe(value, prefix), paramName);
        }
    }

    /// <summary>Describes why a value is not a SID with the given prefix, naming the value and the expected form.</summary>
    /// <param name="value">The value that was checked.</param>
    /// <param name="prefix">The expected two-letter prefix.</param>
    /// <returns>The description, suitable for an exception or validation message.</returns>
    public static string Describe(string value, string prefix) =>
        $"'{value}' is not a valid {prefix} SID: expected '{prefix}' followed by 32 hexadecimal characters ({Length} characters in all).";
}
