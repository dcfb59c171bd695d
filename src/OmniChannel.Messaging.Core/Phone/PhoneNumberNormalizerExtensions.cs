namespace OmniChannel.Messaging;

/// <summary>Provides convenience overloads for <see cref="IPhoneNumberNormalizer"/>.</summary>
public static class PhoneNumberNormalizerExtensions
{
    /// <summary>Normalizes an input to an E.164 phone number, throwing when it is not one.</summary>
    /// <param name="normalizer">The normalizer.</param>
    /// <param name="input">The number as typed.</param>
    /// <param name="defaultRegion">The ISO 3166 two-letter region for numbers in national format, or <see langword="null"/>.</param>
    /// <param name="options">The leniencies to apply.</param>
    /// <returns>The phone number.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="normalizer"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The input is not a possible phone number; the message names it and the reason.</exception>
    public static PhoneNumber Normalize(this IPhoneNumberNormalizer normalizer, string? input, string? defaultRegion = null, PhoneNumberParseOptions options = PhoneNumberParseOptions.None)
    {
        ArgumentNullException.ThrowIfNull(normalizer);
        return normalizer.TryNormalize(input, defaultRegion, options, out var number, out var error)
            ? number
            : throw new FormatException(error.Message);
    }

    /// <summary>Normalizes an input to an E.164 phone number.</summary>
    /// <param name="normalizer">The normalizer.</param>
    /// <param name="input">The number as typed.</param>
    /// <param name="defaultRegion">The ISO 3166 two-letter region for numbers in national format, or <see langword="null"/>.</param>
    /// <param name="number">When this method returns <see langword="true"/>, the number.</param>
    /// <returns><see langword="true"/> when the input is a possible phone number; otherwise <see langword="false"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="normalizer"/> is <see langword="null"/>.</exception>
    public static bool TryNormalize(this IPhoneNumberNormalizer normalizer, string? input, string? defaultRegion, out PhoneNumber number)
    {
        ArgumentNullException.ThrowIfNull(normalizer);
        return normalizer.TryNormalize(input, defaultRegion, PhoneNumberParseOptions.None, out number, out _);
    }
}
