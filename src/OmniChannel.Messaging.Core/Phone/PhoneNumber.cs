using System.Diagnostics.CodeAnalysis;
using OmniChannel.Messaging.Phone.Internal;

namespace OmniChannel.Messaging;

/// <summary>
/// Represents a phone number in E.164 form: <c>+</c>, an assigned country calling code and the national significant number,
/// at most 15 digits in all, the national number having a length the embedded numbering plan lists for the calling code.
/// Regions that keep a leading 0 (Italy, for example) keep it in the national number.
/// </summary>
/// <remarks>
/// The default value holds no number: its <see cref="ToString"/> is empty and its <see cref="CountryCallingCode"/> is 0.
/// Two numbers are equal when their E.164 forms are equal. The one exception to the length rule is a number parsed with
/// <see cref="PhoneNumberParseOptions.AllowLocalOnly"/>, which may hold a local number without its area code.
/// </remarks>
public readonly struct PhoneNumber : IEquatable<PhoneNumber>
{
    private readonly string? _e164;
    private readonly byte _callingCodeLength;

    internal PhoneNumber(string e164, int callingCodeLength, int callingCode, string? regionCode)
    {
        _e164 = e164;
        _callingCodeLength = (byte)callingCodeLength;
        CountryCallingCode = callingCode;
        RegionCode = regionCode;
    }

    /// <summary>Gets the country calling code, for example 44 for +44 20 7946 0000; 0 for the default value.</summary>
    public int CountryCallingCode { get; }

    /// <summary>
    /// Gets the ISO 3166 two-letter region when it is known: the default region the number was read in, or the only region
    /// using the calling code; <see langword="null"/> for calling codes several regions share (+1, +7, +44, …) read in
    /// international format, and for non-geographic numbers (+800, +882, …).
    /// </summary>
    public string? RegionCode { get; }

    /// <summary>Gets the national significant number: the digits after the calling code, without any trunk prefix.</summary>
    public string NationalNumber => _e164 is null ? string.Empty : _e164[(1 + _callingCodeLength)..];

    /// <summary>Gets a value indicating whether this is the default value, which holds no number.</summary>
    public bool IsEmpty => _e164 is null;

    /// <summary>Parses a number as typed, using the built-in <see cref="PhoneNumberNormalizer"/>.</summary>
    /// <param name="input">The number as typed, for example <c>+44 20 7946 0000</c>, <c>(415) 555-0100</c> or <c>whatsapp:+14155238886</c>.</param>
    /// <param name="defaultRegion">The ISO 3166 two-letter region for numbers in national format, or <see langword="null"/> to require international format.</param>
    /// <param name="options">The leniencies to apply.</param>
    /// <returns>The phone number.</returns>
    /// <exception cref="FormatException">The input is not a possible phone number; the message names it and the reason.</exception>
    public static PhoneNumber Parse(string? input, string? defaultRegion = null, PhoneNumberParseOptions options = PhoneNumberParseOptions.None) =>
        PhoneNumberNormalizer.Default.Normalize(input, defaultRegion, options);

    /// <summary>Parses a number as typed, using the built-in <see cref="PhoneNumberNormalizer"/>.</summary>
    /// <param name="input">The number as typed.</param>
    /// <param name="defaultRegion">The ISO 3166 two-letter region for numbers in national format, or <see langword="null"/>.</param>
    /// <param name="number">When this method returns <see langword="true"/>, the number.</param>
    /// <returns><see langword="true"/> when the input is a possible phone number; otherwise <see langword="false"/>.</returns>
    public static bool TryParse(string? input, string? defaultRegion, out PhoneNumber number) =>
        PhoneNumberNormalizer.Default.TryNormalize(input, defaultRegion, PhoneNumberParseOptions.None, out number, out _);

    /// <summary>Parses a number as typed, using the built-in <see cref="PhoneNumberNormalizer"/>, and reports why it was rejected.</summary>
    /// <param name="input">The number as typed.</param>
    /// <param name="defaultRegion">The ISO 3166 two-letter region for numbers in national format, or <see langword="null"/>.</param>
    /// <param name="options">The leniencies to apply.</param>
    /// <param name="number">When this method returns <see langword="true"/>, the number.</param>
    /// <param name="error">When this method returns <see langword="false"/>, why the input was rejected.</param>
    /// <returns><see langword="true"/> when the input is a possible phone number; otherwise <see langword="false"/>.</returns>
    public static bool TryParse(string? input, string? defaultRegion, PhoneNumberParseOptions options, out PhoneNumber number, [NotNullWhen(false)] out PhoneNumberParseError? error) =>
        PhoneNumberNormalizer.Default.TryNormalize(input, defaultRegion, options, out number, out error);

    /// <summary>
    /// Creates a number from a string already in E.164 form (for <see cref="IPhoneNumberNormalizer"/> implementations
    /// that delegate to another engine, and for numbers Twilio sends): <c>+</c> and at most 15 ASCII digits, an assigned
    /// calling code, and a national number whose length the embedded numbering plan lists for that code (the lengths
    /// <see cref="Parse"/> accepts, so <c>+123</c> and <c>+12345</c> are refused, and Niue's 4-digit <c>+6834002</c> is not).
    /// </summary>
    /// <param name="e164">The number in E.164 form.</param>
    /// <param name="regionCode">The ISO 3166 two-letter region when the engine knows it, or <see langword="null"/>.</param>
    /// <param name="number">When this method returns <see langword="true"/>, the number.</param>
    /// <returns><see langword="true"/> when the value is a possible E.164 number (and the region, if given, uses its calling code); otherwise <see langword="false"/>.</returns>
    public static bool TryFromE164(string? e164, string? regionCode, out PhoneNumber number) =>
        E164Parser.TryFromE164(e164, regionCode, out number, out _);

    /// <summary>Creates a number from a string already in E.164 form, and reports why it was refused; see <see cref="TryFromE164(string?, string?, out PhoneNumber)"/>.</summary>
    /// <param name="e164">The number in E.164 form.</param>
    /// <param name="regionCode">The ISO 3166 two-letter region when the engine knows it, or <see langword="null"/>.</param>
    /// <param name="number">When this method returns <see langword="true"/>, the number.</param>
    /// <param name="error">When this method returns <see langword="false"/>, why the value was refused (for example <see cref="PhoneNumberParseErrorReason.TooShort"/> for <c>+12345</c>).</param>
    /// <returns><see langword="true"/> when the value is a possible E.164 number (and the region, if given, uses its calling code); otherwise <see langword="false"/>.</returns>
    public static bool TryFromE164(string? e164, string? regionCode, out PhoneNumber number, [NotNullWhen(false)] out PhoneNumberParseError? error) =>
        E164Parser.TryFromE164(e164, regionCode, out number, out error);

    /// <summary>Creates a number from a string already in E.164 form; see <see cref="TryFromE164(string?, string?, out PhoneNumber)"/>.</summary>
    /// <param name="e164">The number in E.164 form.</param>
    /// <param name="regionCode">The ISO 3166 two-letter region when known, or <see langword="null"/>.</param>
    /// <returns>The phone number.</returns>
    /// <exception cref="FormatException">The value is not a possible E.164 number, or the region does not use its calling code; the message names the value and the reason.</exception>
    public static PhoneNumber FromE164(string e164, string? regionCode = null) =>
        E164Parser.TryFromE164(e164, regionCode, out var number, out var error)
            ? number
            : throw new FormatException(error.Message);

    /// <summary>Determines whether two numbers are equal.</summary>
    /// <param name="left">The first number.</param>
    /// <param name="right">The second number.</param>
    /// <returns><see langword="true"/> when the E.164 forms are equal.</returns>
    public static bool operator ==(PhoneNumber left, PhoneNumber right) => left.Equals(right);

    /// <summary>Determines whether two numbers differ.</summary>
    /// <param name="left">The first number.</param>
    /// <param name="right">The second number.</param>
    /// <returns><see langword="true"/> when the E.164 forms differ.</returns>
    public static bool operator !=(PhoneNumber left, PhoneNumber right) => !left.Equals(right);

    /// <summary>Determines whether this number equals another.</summary>
    /// <param name="other">The other number.</param>
    /// <returns><see langword="true"/> when the E.164 forms are equal.</returns>
    public bool Equals(PhoneNumber other) => string.Equals(_e164, other._e164, StringComparison.Ordinal);

    /// <summary>Determines whether this number equals another object.</summary>
    /// <param name="obj">The other object.</param>
    /// <returns><see langword="true"/> when the object is a <see cref="PhoneNumber"/> with the same E.164 form.</returns>
    public override bool Equals(object? obj) => obj is PhoneNumber other && Equals(other);

    /// <summary>Returns a hash code of the E.164 form.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => _e164 is null ? 0 : StringComparer.Ordinal.GetHashCode(_e164);

    /// <summary>Returns the number in E.164 form, for example <c>+442079460000</c>; empty for the default value.</summary>
    /// <returns>The E.164 form.</returns>
    public override string ToString() => _e164 ?? string.Empty;
}
