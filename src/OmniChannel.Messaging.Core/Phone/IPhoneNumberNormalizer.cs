using System.Diagnostics.CodeAnalysis;

namespace OmniChannel.Messaging;

/// <summary>
/// Provides E.164 normalization of phone numbers typed by people. The built-in <see cref="PhoneNumberNormalizer"/> uses an
/// embedded numbering plan; implement this interface to plug in another engine such as libphonenumber-csharp.
/// </summary>
public interface IPhoneNumberNormalizer
{
    /// <summary>Normalizes an input to an E.164 phone number.</summary>
    /// <param name="input">The number as typed: international (<c>+</c>, <c>00</c> or the region's own prefix) or national format, optionally prefixed with <c>tel:</c>, <c>sms:</c> or <c>whatsapp:</c>.</param>
    /// <param name="defaultRegion">The ISO 3166 two-letter region that numbers in national format belong to, or <see langword="null"/> to require international format.</param>
    /// <param name="options">The leniencies to apply.</param>
    /// <param name="number">When this method returns <see langword="true"/>, the number.</param>
    /// <param name="failure">When this method returns <see langword="false"/>, why the input was rejected.</param>
    /// <returns><see langword="true"/> when the input is a possible phone number; otherwise <see langword="false"/>.</returns>
    bool TryNormalize(string? input, string? defaultRegion, PhoneNumberParseOptions options, out PhoneNumber number, [NotNullWhen(false)] out PhoneNumberParseError? failure);
}
