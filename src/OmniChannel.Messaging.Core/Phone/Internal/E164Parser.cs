using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace OmniChannel.Messaging.Phone.Internal;

/// <summary>The channel prefix found in front of a number.</summary>
internal enum ChannelPrefix
{
    None,
    Tel,
    Sms,
    WhatsApp,
}

/// <summary>
/// Parses typed phone numbers into E.164 following google-libphonenumber's parse steps (international prefix, calling code,
/// national prefix for parsing and its transform rule) over the embedded <see cref="NumberingPlan"/>. Scans spans into
/// stack buffers; the only allocation on success is the result string.
/// </summary>
internal static class E164Parser
{
    public const int MaximumDigits = 15;

    // libphonenumber's bounds on the national significant number before the length check against the region.
    private const int MinimumNationalLength = 2;
    private const int MaximumNationalLength = 17;
    private const int MaximumScannedDigits = 40;
    private const int BufferLength = 64;
    private const int MaximumExtensionDigits = 7;

    public static bool TryParse(string? input, string? defaultRegion, PhoneNumberParseOptions options, out PhoneNumber number, [NotNullWhen(false)] out PhoneNumberParseError? error) =>
        TryParse(input, defaultRegion, options, out number, out _, out error);

    public static bool TryParse(string? input, string? defaultRegion, PhoneNumberParseOptions options, out PhoneNumber number, out ChannelPrefix prefix, [NotNullWhen(false)] out PhoneNumberParseError? error)
    {
        number = default;
        var text = input.AsSpan().Trim();
        prefix = ReadChannelPrefix(ref text);
        if (text.IsEmpty)
        {
            error = Fail(PhoneNumberParseErrorReason.Empty, input, "it is empty");
            return false;
        }

        Span<char> digits = stackalloc char[BufferLength];
        if (!TryScan(text, options, digits, out var count, out var hasPlus, input, out error))
        {
            return false;
        }

        return TryResolve(digits, count, hasPlus, input, defaultRegion, (options & PhoneNumberParseOptions.AllowLocalOnly) != 0, out number, out error);
    }

    private static ChannelPrefix ReadChannelPrefix(ref ReadOnlySpan<char> text)
    {
        var prefix = ChannelPrefix.None;
        if (text.StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase))
        {
            prefix = ChannelPrefix.WhatsApp;
            text = text["whatsapp:".Length..];
        }
        else if (text.StartsWith("sms:", StringComparison.OrdinalIgnoreCase))
        {
            prefix = ChannelPrefix.Sms;
            text = text["sms:".Length..];
        }
        else if (text.StartsWith("tel:", StringComparison.OrdinalIgnoreCase))
        {
            prefix = ChannelPrefix.Tel;
            text = text["tel:".Length..];
        }

        text = text.Trim();
        return prefix;
    }

    private static bool TryScan(ReadOnlySpan<char> text, PhoneNumberParseOptions options, Span<char> digits, out int count, out bool hasPlus, string? input, [NotNullWhen(false)] out PhoneNumberParseError? error)
    {
        count = 0;
        hasPlus = false;
        error = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var value = DigitValue(c);
            if (value >= 0)
            {
                if (count == MaximumScannedDigits)
                {
                    error = Fail(PhoneNumberParseErrorReason.TooLong, input, "it has too many digits for any phone number");
                    return false;
                }

                digits[count++] = (char)('0' + value);
                continue;
            }

            if (c is '+' or '\uFF0B')
            {
                if (count > 0 || hasPlus)
                {
                    error = Fail(PhoneNumberParseErrorReason.InvalidCharacters, input, "'+' may only start the number");
                    return false;
                }

                hasPlus = true;
                continue;
            }

            if (IsSeparator(c))
            {
                continue;
            }

            if (count > 0 && IsExtension(text[i..]))
            {
                if ((options & PhoneNumberParseOptions.DropExtension) != 0)
                {
                    break;
                }

                error = Fail(PhoneNumberParseErrorReason.Extension, input, "it has an extension; pass PhoneNumberParseOptions.DropExtension to drop it");
                return false;
            }

            var letter = FoldLetter(c);
            if (letter != '\0')
            {
                if ((options & PhoneNumberParseOptions.AllowVanityLetters) == 0)
                {
                    error = Fail(PhoneNumberParseErrorReason.Letters, input, "it contains letters; pass PhoneNumberParseOptions.AllowVanityLetters to read them as keypad digits");
                    return false;
                }

                if (count == MaximumScannedDigits)
                {
                    error = Fail(PhoneNumberParseErrorReason.TooLong, input, "it has too many digits for any phone number");
                    return false;
                }

                digits[count++] = KeypadDigit(letter);
                continue;
            }

            error = Fail(PhoneNumberParseErrorReason.InvalidCharacters, input, $"the character '{c}' cannot be part of a phone number");
            return false;
        }

        if (count == 0)
        {
            error = Fail(PhoneNumberParseErrorReason.InvalidCharacters, input, "it contains no digits");
            return false;
        }

        return true;
    }

    private static bool TryResolve(Span<char> buffer, int count, bool hasPlus, string? input, string? defaultRegion, bool allowLocalOnly, out PhoneNumber number, [NotNullWhen(false)] out PhoneNumberParseError? error)
    {
        number = default;
        var plan = NumberingPlan.Instance;
        RegionPlan? region = null;
        if (defaultRegion is not null)
        {
            plan.TryGetRegion(defaultRegion, out region);
        }

        ReadOnlySpan<char> digits = buffer[..count];
        CallingCodePlan? callingCode = null;
        var internationalPrefixLength = hasPlus ? 0 : InternationalPrefixLength(digits, region);
        var international = hasPlus || internationalPrefixLength > 0;
        RegionPlan metadata;
        Span<char> national = stackalloc char[BufferLength];
        int nationalLength;

        if (international)
        {
            var afterPrefix = digits[internationalPrefixLength..];
            if (afterPrefix.Length <= MinimumNationalLength)
            {
                error = Fail(PhoneNumberParseErrorReason.TooShort, input, "too few digits follow the international prefix");
                return false;
            }

            if (!plan.TryReadCallingCode(afterPrefix, out callingCode, out var codeLength))
            {
                error = Fail(PhoneNumberParseErrorReason.UnknownCallingCode, input, "it does not start with an assigned country calling code");
                return false;
            }

            metadata = callingCode.MainRegion;
            afterPrefix[codeLength..].CopyTo(national);
            nationalLength = afterPrefix.Length - codeLength;
        }
        else if (region is null)
        {
            error = Fail(
                PhoneNumberParseErrorReason.UnknownRegion,
                input,
                defaultRegion is null
                    ? "it is in national format and no default region was given; start it with '+' and the country calling code"
                    : $"it is in national format and the default region '{defaultRegion}' is not a known ISO 3166 region");
            return false;
        }
        else
        {
            callingCode = plan.GetCallingCode(region);
            metadata = region;
            digits.CopyTo(national);
            nationalLength = digits.Length;
            if (digits.StartsWith(region.CallingCodeText))
            {
                // libphonenumber reads a leading calling code without '+' when the number only makes sense that way.
                Span<char> potential = stackalloc char[BufferLength];
                var potentialLength = digits.Length - region.CallingCodeText.Length;
                digits[region.CallingCodeText.Length..].CopyTo(potential);
                StripNationalPrefix(potential, ref potentialLength, region);
                if ((!region.MatchesNationalNumber(digits) && region.MatchesNationalNumber(potential[..potentialLength]))
                    || region.CheckLength(digits.Length) == LengthCheck.TooLong)
                {
                    metadata = callingCode.MainRegion;
                    potential[..potentialLength].CopyTo(national);
                    nationalLength = potentialLength;
                }
            }
        }

        Span<char> candidate = stackalloc char[BufferLength];
        national[..nationalLength].CopyTo(candidate);
        var candidateLength = nationalLength;
        if (StripNationalPrefix(candidate, ref candidateLength, metadata)
            && metadata.CheckLength(candidateLength) is LengthCheck.Possible or LengthCheck.TooLong)
        {
            candidate[..candidateLength].CopyTo(national);
            nationalLength = candidateLength;
        }

        if (nationalLength < MinimumNationalLength)
        {
            error = Fail(PhoneNumberParseErrorReason.TooShort, input, "its national number is too short");
            return false;
        }

        if (nationalLength > MaximumNationalLength)
        {
            error = Fail(PhoneNumberParseErrorReason.TooLong, input, "its national number is too long");
            return false;
        }

        if (!TryCheckLength(callingCode, nationalLength, allowLocalOnly, input, "PhoneNumberParseOptions.AllowLocalOnly", out error))
        {
            return false;
        }

        var codeText = callingCode.MainRegion.CallingCodeText;
        var total = codeText.Length + nationalLength;

        Span<char> result = stackalloc char[1 + MaximumDigits];
        result[0] = '+';
        codeText.CopyTo(result[1..]);
        national[..nationalLength].CopyTo(result[(1 + codeText.Length)..]);
        var regionCode = international ? callingCode.SoleRegionCode : region!.RegionCode;
        number = new PhoneNumber(new string(result[..(1 + total)]), codeText.Length, callingCode.CallingCode, regionCode);
        error = null;
        return true;
    }

    /// <summary>
    /// Checks a string already in E.164 form against the plan: '+' and ASCII digits only, at most 15 digits, an assigned
    /// calling code and a national-number length the plan lists for that code (the normalizer's rule, local-only lengths excluded).
    /// </summary>
    public static bool TryFromE164(string? e164, string? regionCode, out PhoneNumber number, [NotNullWhen(false)] out PhoneNumberParseError? error)
    {
        number = default;
        if (string.IsNullOrEmpty(e164))
        {
            error = FailE164(PhoneNumberParseErrorReason.Empty, e164, "it is empty");
            return false;
        }

        var digits = e164.AsSpan(1);
        if (e164[0] != '+' || digits.ContainsAnyExceptInRange('0', '9'))
        {
            error = FailE164(PhoneNumberParseErrorReason.InvalidCharacters, e164, "expected '+' followed by ASCII digits only, no spaces or punctuation");
            return false;
        }

        if (digits.Length > MaximumDigits)
        {
            error = FailE164(PhoneNumberParseErrorReason.TooLong, e164, $"it has {digits.Length} digits, more than the {MaximumDigits} E.164 allows");
            return false;
        }

        if (!NumberingPlan.Instance.TryReadCallingCode(digits, out var callingCode, out var codeLength))
        {
            error = FailE164(PhoneNumberParseErrorReason.UnknownCallingCode, e164, "it does not start with an assigned country calling code");
            return false;
        }

        if (!TryCheckLength(callingCode, digits.Length - codeLength, allowLocalOnly: false, e164, null, out error))
        {
            return false;
        }

        string? region = null;
        if (regionCode is not null)
        {
            if (!NumberingPlan.Instance.TryGetRegion(regionCode, out var regionPlan))
            {
                error = FailE164(PhoneNumberParseErrorReason.UnknownRegion, e164, $"'{regionCode}' is not a known ISO 3166 region");
                return false;
            }

            if (regionPlan.CallingCode != callingCode.CallingCode)
            {
                error = FailE164(PhoneNumberParseErrorReason.UnknownRegion, e164, $"region {regionPlan.RegionCode} uses calling code +{regionPlan.CallingCode}, not +{callingCode.CallingCode}");
                return false;
            }

            region = regionPlan.RegionCode;
        }

        number = new PhoneNumber(e164, codeLength, callingCode.CallingCode, region ?? callingCode.SoleRegionCode);
        error = null;
        return true;
    }

    /// <summary>Checks a national number's length against the lengths the plan lists for its calling code.</summary>
    private static bool TryCheckLength(CallingCodePlan callingCode, int nationalLength, bool allowLocalOnly, string? input, string? localOnlyOption, [NotNullWhen(false)] out PhoneNumberParseError? error)
    {
        error = null;
        switch (callingCode.MainRegion.CheckLength(nationalLength))
        {
            case LengthCheck.PossibleLocalOnly when !allowLocalOnly:
                error = LengthFail(
                    localOnlyOption is null,
                    PhoneNumberParseErrorReason.TooShort,
                    input,
                    localOnlyOption is null
                        ? $"its national number has {nationalLength} digits, a local number in {RegionName(callingCode)} without its area code"
                        : $"it is a local number in {RegionName(callingCode)}; include the area code (or pass {localOnlyOption})");
                return false;
            case LengthCheck.TooShort:
                error = LengthFail(localOnlyOption is null, PhoneNumberParseErrorReason.TooShort, input, $"its national number has {nationalLength} digits, too few for {RegionName(callingCode)}");
                return false;
            case LengthCheck.TooLong:
                error = LengthFail(localOnlyOption is null, PhoneNumberParseErrorReason.TooLong, input, $"its national number has {nationalLength} digits, too many for {RegionName(callingCode)}");
                return false;
            case LengthCheck.InvalidLength:
                error = LengthFail(localOnlyOption is null, PhoneNumberParseErrorReason.InvalidLength, input, $"its national number has {nationalLength} digits, not a length used in {RegionName(callingCode)}");
                return false;
        }

        var total = callingCode.MainRegion.CallingCodeText.Length + nationalLength;
        if (total > MaximumDigits)
        {
            error = LengthFail(localOnlyOption is null, PhoneNumberParseErrorReason.TooLong, input, $"its E.164 form would have {total} digits, more than {MaximumDigits}");
            return false;
        }

        return true;
    }

    /// <summary>The length of the region's international prefix at the start of the digits (00 when no region is known), or -1.</summary>
    private static int InternationalPrefixLength(ReadOnlySpan<char> digits, RegionPlan? region)
    {
        int length;
        if (region is null)
        {
            length = digits.StartsWith("00") ? 2 : -1;
        }
        else if (region.InternationalPrefix is not null && region.InternationalPrefix.TryMatch(digits, out var match))
        {
            length = match.Length;
        }
        else
        {
            return -1;
        }

        // Country calling codes never start with 0, so a 0 after the prefix means the prefix was not one.
        return length > 0 && length < digits.Length && digits[length] != '0' ? length : -1;
    }

    /// <summary>
    /// Applies the region's national prefix for parsing (and transform rule) like libphonenumber's
    /// maybeStripNationalPrefixAndCarrierCode, with the possible lengths standing in for the national-number pattern.
    /// </summary>
    private static bool StripNationalPrefix(Span<char> number, ref int length, RegionPlan region)
    {
        var pattern = region.NationalPrefixForParsing;
        if (length == 0 || pattern is null || !pattern.TryMatch(number[..length], out var match))
        {
            return false;
        }

        var viableOriginal = region.MatchesNationalNumber(number[..length]);
        if (region.TransformRule is null || !match.LastGroupParticipated)
        {
            var remaining = length - match.Length;
            if (viableOriginal && !region.MatchesNationalNumber(number[match.Length..length]))
            {
                return false;
            }

            number[match.Length..length].CopyTo(number);
            length = remaining;
            return true;
        }

        Span<char> transformed = stackalloc char[BufferLength * 2];
        var written = 0;
        var rule = region.TransformRule.AsSpan();
        for (var i = 0; i < rule.Length; i++)
        {
            if (rule[i] == '$' && i + 1 < rule.Length && char.IsAsciiDigit(rule[i + 1]))
            {
                if (match.TryGetGroup(rule[i + 1] - '0', out var start, out var end))
                {
                    number[start..end].CopyTo(transformed[written..]);
                    written += end - start;
                }

                i++;
            }
            else
            {
                transformed[written++] = rule[i];
            }
        }

        number[match.Length..length].CopyTo(transformed[written..]);
        written += length - match.Length;
        if (written > BufferLength || (viableOriginal && !region.MatchesNationalNumber(transformed[..written])))
        {
            return false;
        }

        transformed[..written].CopyTo(number);
        length = written;
        return true;
    }

    private static string RegionName(CallingCodePlan callingCode) =>
        callingCode.SoleRegionCode is { } sole
            ? $"region {sole} (+{callingCode.CallingCode})"
            : $"calling code +{callingCode.CallingCode}";

    private static int DigitValue(char c)
    {
        if (c is >= '0' and <= '9')
        {
            return c - '0';
        }

        return c < 128 ? -1 : CharUnicodeInfo.GetDecimalDigitValue(c);
    }

    // libphonenumber's punctuation set: dashes, slashes, dots, brackets, tilde and the various Unicode spaces.
    private static bool IsSeparator(char c) =>
        char.IsWhiteSpace(c) || c is '-' or '.' or '(' or ')' or '[' or ']' or '/' or '~'
            or '\u00AD' or '\u200B' or '\u2060' or (>= '\u2010' and <= '\u2015') or '\u2212' or '\u30FC'
            or '\uFF0D' or '\uFF0E' or '\uFF0F' or '\uFF08' or '\uFF09' or '\uFF3B' or '\uFF3D' or '\u2053' or '\u223C' or '\uFF5E';

    /// <summary>Recognizes an extension: a marker (ext, extn, extension, x, #, ;ext=) then 1–7 digits up to the end.</summary>
    private static bool IsExtension(ReadOnlySpan<char> rest)
    {
        ReadOnlySpan<string> markers = [";ext=", "extension", "extn", "ext", "x", "#"];
        foreach (var marker in markers)
        {
            if (!rest.StartsWith(marker, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var tail = rest[marker.Length..].TrimStart();
            tail = tail.TrimStart(".:=").TrimStart();
            var digitCount = 0;
            var i = 0;
            for (; i < tail.Length && DigitValue(tail[i]) >= 0; i++)
            {
                digitCount++;
            }

            var end = tail[i..].TrimEnd().TrimEnd('#');
            if (digitCount is > 0 and <= MaximumExtensionDigits && end.IsEmpty)
            {
                return true;
            }
        }

        return false;
    }

    private static char FoldLetter(char c) => c switch
    {
        >= 'A' and <= 'Z' => c,
        >= 'a' and <= 'z' => (char)(c - 'a' + 'A'),
        >= '\uFF21' and <= '\uFF3A' => (char)(c - '\uFF21' + 'A'),
        >= '\uFF41' and <= '\uFF5A' => (char)(c - '\uFF41' + 'A'),
        _ => '\0',
    };

    private static char KeypadDigit(char upper) => upper switch
    {
        <= 'C' => '2',
        <= 'F' => '3',
        <= 'I' => '4',
        <= 'L' => '5',
        <= 'O' => '6',
        <= 'S' => '7',
        <= 'V' => '8',
        _ => '9',
    };

    private static PhoneNumberParseError Fail(PhoneNumberParseErrorReason reason, string? input, string detail) =>
        new(reason, input, $"'{input}' is not a valid phone number: {detail}.");

    private static PhoneNumberParseError LengthFail(bool e164Form, PhoneNumberParseErrorReason reason, string? input, string detail) =>
        e164Form ? FailE164(reason, input, detail) : Fail(reason, input, detail);

    private static PhoneNumberParseError FailE164(PhoneNumberParseErrorReason reason, string? input, string detail) =>
        new(reason, input, $"'{input}' is not an E.164 phone number: {detail}.");
}
