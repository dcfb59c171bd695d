using System.Globalization;
using System.Text;
using OmniChannel.Messaging.Sms.Segments.Internal;

namespace OmniChannel.Messaging.Sms;

/// <summary>
/// Provides the SMS segment calculation: whether a body fits the GSM-7 alphabet or needs UCS-2, and how many segments it
/// is split into (160/153 septets for GSM-7, 70/67 code units for UCS-2).
/// </summary>
/// <remarks>
/// <para>GSM-7 extension-table characters (<c>^ { } \ [ ] ~ |</c>, the euro sign and form feed) take two septets. One
/// character outside GSM-7 (an emoji, a curly quote, a Cyrillic letter) turns the whole body into UCS-2, where a
/// character outside the Basic Multilingual Plane (a surrogate pair, most emoji) takes two code units. When a body is split,
/// neither an extension character nor a surrogate pair is cut across two segments, as handsets require.</para>
/// <para>Smart encoding (Twilio's <c>SmartEncoded</c>, or <see cref="SmartEncode"/> here) replaces common look-alikes
/// (curly quotes, dashes, ellipsis, non-breaking and other spaces) with GSM-7 characters, so a pasted text stays in GSM-7.
/// <see cref="Calculate(ReadOnlySpan{char}, bool)"/> does not allocate.</para>
/// </remarks>
public static class SmsSegments
{
    /// <summary>The GSM-7 capacity of a single-segment message: 160 septets.</summary>
    public const int Gsm7SingleSegment = 160;

    /// <summary>The GSM-7 capacity of each segment of a split message: 153 septets (7 go to the concatenation header).</summary>
    public const int Gsm7MultiSegment = 153;

    /// <summary>The UCS-2 capacity of a single-segment message: 70 code units.</summary>
    public const int Ucs2SingleSegment = 70;

    /// <summary>The UCS-2 capacity of each segment of a split message: 67 code units.</summary>
    public const int Ucs2MultiSegment = 67;

    /// <summary>Calculates the encoding and segments of a body.</summary>
    /// <param name="body">The body.</param>
    /// <param name="smartEncoding">Whether look-alike characters count as their GSM-7 replacements (as with <c>SmartEncoded=true</c>).</param>
    /// <returns>The encoding, segment count and lengths.</returns>
    public static SmsSegmentInfo Calculate(ReadOnlySpan<char> body, bool smartEncoding = false)
    {
        var nonGsm = 0;
        var firstNonGsm = -1;
        for (var i = 0; i < body.Length; i++)
        {
            if (Gsm7.Septets(body[i]) == 0 && !(smartEncoding && IsGsmReplacement(body[i])))
            {
                nonGsm++;
                if (firstNonGsm < 0)
                {
                    firstNonGsm = i;
                }
            }
        }

        return nonGsm == 0 ? CountGsm7(body, smartEncoding) : CountUcs2(body, nonGsm, firstNonGsm);
    }

    /// <summary>Calculates the encoding and segments of a body.</summary>
    /// <param name="body">The body; <see langword="null"/> counts as empty.</param>
    /// <param name="smartEncoding">Whether look-alike characters count as their GSM-7 replacements.</param>
    /// <returns>The encoding, segment count and lengths.</returns>
    public static SmsSegmentInfo Calculate(string? body, bool smartEncoding = false) => Calculate(body.AsSpan(), smartEncoding);

    /// <summary>Lists the distinct characters of a body that are outside GSM-7 and so force UCS-2, in order of first appearance.</summary>
    /// <param name="body">The body.</param>
    /// <param name="smartEncoding">Whether look-alikes smart encoding replaces are left out.</param>
    /// <returns>The characters as text elements (a surrogate pair or an emoji sequence is one entry).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<string> GetNonGsmCharacters(string body, bool smartEncoding = false)
    {
        ArgumentNullException.ThrowIfNull(body);
        var found = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(body);
        while (enumerator.MoveNext())
        {
            var element = enumerator.GetTextElement();
            foreach (var c in element)
            {
                if (Gsm7.Septets(c) == 0 && !(smartEncoding && IsGsmReplacement(c)))
                {
                    if (!found.Contains(element))
                    {
                        found.Add(element);
                    }

                    break;
                }
            }
        }

        return found;
    }

    /// <summary>
    /// Replaces common look-alike characters with GSM-7 ones: curly quotes with straight ones, dashes with a hyphen, the
    /// ellipsis with three dots, special spaces with a space; zero-width characters are removed. Other characters are kept.
    /// </summary>
    /// <param name="body">The body.</param>
    /// <returns>The body with replacements; the same instance when nothing was replaced.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    public static string SmartEncode(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var first = -1;
        for (var i = 0; i < body.Length; i++)
        {
            if (Gsm7.Septets(body[i]) == 0 && Gsm7.Replacement(body[i]) is not null)
            {
                first = i;
                break;
            }
        }

        if (first < 0)
        {
            return body;
        }

        var builder = new StringBuilder(body.Length).Append(body, 0, first);
        for (var i = first; i < body.Length; i++)
        {
            var c = body[i];
            if (Gsm7.Septets(c) == 0 && Gsm7.Replacement(c) is { } replacement)
            {
                builder.Append(replacement);
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool IsGsmReplacement(char c) => Gsm7.Replacement(c) is not null;

    private static SmsSegmentInfo CountGsm7(ReadOnlySpan<char> body, bool smartEncoding)
    {
        var total = 0;
        foreach (var c in body)
        {
            total += SeptetsOf(c, smartEncoding);
        }

        if (total == 0)
        {
            return new SmsSegmentInfo { Encoding = SmsEncoding.Gsm7, SegmentCapacity = Gsm7SingleSegment, RemainingInLastSegment = Gsm7SingleSegment, FirstNonGsmIndex = -1 };
        }

        if (total <= Gsm7SingleSegment)
        {
            return new SmsSegmentInfo
            {
                Encoding = SmsEncoding.Gsm7, Segments = 1, EncodedLength = total, SegmentCapacity = Gsm7SingleSegment,
                RemainingInLastSegment = Gsm7SingleSegment - total, FirstNonGsmIndex = -1,
            };
        }

        // Split: an escape sequence (extension character) is never cut across two segments.
        var segments = 1;
        var used = 0;
        foreach (var c in body)
        {
            var size = SeptetsOf(c, smartEncoding);
            if (size == 0)
            {
                continue;
            }

            if (used + size > Gsm7MultiSegment)
            {
                segments++;
                used = 0;
            }

            used += size;
        }

        return new SmsSegmentInfo
        {
            Encoding = SmsEncoding.Gsm7, Segments = segments, EncodedLength = total, SegmentCapacity = Gsm7MultiSegment,
            RemainingInLastSegment = Gsm7MultiSegment - used, FirstNonGsmIndex = -1,
        };
    }

    private static int SeptetsOf(char c, bool smartEncoding)
    {
        var septets = Gsm7.Septets(c);
        if (septets == 0 && smartEncoding && Gsm7.Replacement(c) is { } replacement)
        {
            foreach (var r in replacement)
            {
                septets += Gsm7.Septets(r);
            }
        }

        return septets;
    }

    private static SmsSegmentInfo CountUcs2(ReadOnlySpan<char> body, int nonGsm, int firstNonGsm)
    {
        var total = body.Length;
        if (total <= Ucs2SingleSegment)
        {
            return new SmsSegmentInfo
            {
                Encoding = SmsEncoding.Ucs2, Segments = 1, EncodedLength = total, SegmentCapacity = Ucs2SingleSegment,
                RemainingInLastSegment = Ucs2SingleSegment - total, NonGsmCharacterCount = nonGsm, FirstNonGsmIndex = firstNonGsm,
            };
        }

        // Split: a surrogate pair is never cut across two segments.
        var segments = 1;
        var used = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var size = char.IsHighSurrogate(body[i]) && i + 1 < body.Length && char.IsLowSurrogate(body[i + 1]) ? 2 : 1;
            if (used + size > Ucs2MultiSegment)
            {
                segments++;
                used = 0;
            }

            used += size;
            i += size - 1;
        }

        return new SmsSegmentInfo
        {
            Encoding = SmsEncoding.Ucs2, Segments = segments, EncodedLength = total, SegmentCapacity = Ucs2MultiSegment,
            RemainingInLastSegment = Ucs2MultiSegment - used, NonGsmCharacterCount = nonGsm, FirstNonGsmIndex = firstNonGsm,
        };
    }
}
