using System.Buffers;
using System.Text;

namespace OmniChannel.Messaging.Webhooks.Internal;

/// <summary>
/// Builds the extra URLs twilio-node's <c>validateRequest</c> signs after the URL as received: the WHATWG serialisation
/// (<c>new URL(url).toString()</c> in Node 20) and that URL with its query re-encoded by Node's legacy
/// <c>querystring.parse</c>/<c>stringify</c>. Written by hand for http and https URLs with an ASCII host; for anything
/// else (<see cref="TryNormalize"/> returns <see langword="false"/>) no extra form is tried.
/// </summary>
internal static class NodeUrlForms
{
    /// <summary>Node's <c>querystring.parse</c> default <c>maxKeys</c>.</summary>
    private const int MaxPairs = 1000;

    private const string Hex = "0123456789ABCDEF";

    private static readonly SearchValues<char> Ipv6Characters = SearchValues.Create("0123456789abcdefABCDEF:.");

    private enum EncodeSet
    {
        Path,
        Query,
        UserInfo,
    }

    /// <summary>
    /// The longest URL, in characters, whose Node forms are tried. Twilio's own webhook URLs are far shorter; above it a
    /// failed request costs no more than the received forms (a forged signature cannot buy large buffers).
    /// </summary>
    public const int MaxUrlLength = 4096;

    /// <summary>
    /// The most <c>&amp;</c>-separated query pieces of a URL whose Node forms are tried; this also bounds the quadratic
    /// key grouping of <see cref="WriteLegacyQuery"/> at 100 × 100 comparisons.
    /// </summary>
    public const int MaxQueryPieces = 100;

    /// <summary>Gets whether the Node forms of <paramref name="url"/> are tried at all: see <see cref="MaxUrlLength"/> and <see cref="MaxQueryPieces"/>.</summary>
    public static bool IsWithinLimits(ReadOnlySpan<char> url)
    {
        if (url.Length > MaxUrlLength)
        {
            return false;
        }

        var question = url.IndexOf('?');
        return question < 0 || url[question..].Count('&') < MaxQueryPieces;
    }

    /// <summary>
    /// Gets the most characters <see cref="TryNormalize"/> writes for <paramref name="url"/>: an ASCII character becomes
    /// at most <c>%XX</c>, any other UTF-16 unit at most three such escapes; plus the <c>/</c> an empty path gets.
    /// </summary>
    public static int MaxNormalizedLength(ReadOnlySpan<char> url) => (url.Length * (Ascii.IsValid(url) ? 3 : 9)) + 2;

    /// <summary>Gets the most characters <see cref="WriteLegacyQuery"/> writes for a query of <paramref name="queryLength"/> characters.</summary>
    public static int MaxLegacyQueryLength(int queryLength) => (queryLength * 4) + 1;

    /// <summary>
    /// Writes the WHATWG serialisation of <paramref name="url"/> without its port: lower-case scheme and host, user info,
    /// path and query percent-encoded with the WHATWG sets (as Node 20's URL does), dot segments resolved, an empty path
    /// made <c>/</c>. The port (digits, default port dropped) is returned separately.
    /// </summary>
    /// <returns><see langword="false"/> when the URL is outside what this reproduces (or Node's URL would reject it).</returns>
    public static bool TryNormalize(ReadOnlySpan<char> url, Span<char> destination, out NormalizedUrl result)
    {
        result = default;

        // WHATWG strips tabs and newlines and trims C0 controls and spaces; a received URL never has them: not handled.
        if (url.IsEmpty || url[0] <= ' ' || url[^1] <= ' ' || url.IndexOfAny('\t', '\n', '\r') >= 0
            || !SignatureUrl.TryParse(url, out var parsed))
        {
            return false;
        }

        var scheme = url[..(parsed.SchemeEnd - 3)];
        var isHttps = scheme.Equals("https", StringComparison.OrdinalIgnoreCase);
        if (!isHttps && !scheme.Equals("http", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var authority = url[parsed.SchemeEnd..parsed.AuthorityEnd];
        if (authority.Contains('\\'))
        {
            return false;
        }

        var written = scheme.ToLowerInvariant(destination);
        "://".CopyTo(destination[written..]);
        written += 3;

        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            var colon = userInfo.IndexOf(':');
            var user = colon < 0 ? userInfo : userInfo[..colon];
            var password = colon < 0 ? default : userInfo[(colon + 1)..];
            written += Encode(user, EncodeSet.UserInfo, destination[written..]);
            if (!password.IsEmpty)
            {
                destination[written++] = ':';
                written += Encode(password, EncodeSet.UserInfo, destination[written..]);
            }

            if (!user.IsEmpty || !password.IsEmpty)
            {
                destination[written++] = '@';
            }
        }

        var hostStart = written;
        if (!TryWriteHost(url[parsed.HostStart..parsed.HostEnd], destination[written..], out var hostLength))
        {
            return false;
        }

        written += hostLength;
        var hostEnd = written;

        var port = -1;
        if (parsed.HasPort)
        {
            var digits = url[(parsed.HostEnd + 1)..parsed.AuthorityEnd];
            if (!digits.IsEmpty)
            {
                port = 0;
                foreach (var c in digits)
                {
                    if (!char.IsAsciiDigit(c) || (port = (port * 10) + (c - '0')) > 65535)
                    {
                        return false;
                    }
                }

                if (port == (isHttps ? 443 : 80))
                {
                    port = -1;
                }
            }
        }

        var rest = url[parsed.AuthorityEnd..];
        var question = rest.IndexOf('?');
        written += WritePath(question < 0 ? rest : rest[..question], destination[written..]);
        var queryStart = -1;
        if (question >= 0)
        {
            destination[written++] = '?';
            queryStart = written;
            written += Encode(rest[(question + 1)..], EncodeSet.Query, destination[written..]);
        }

        result = new NormalizedUrl(hostStart, hostEnd, port, queryStart, written, isHttps);
        return true;
    }

    /// <summary>
    /// Writes <c>querystring.stringify(querystring.parse(query))</c> as Node does it: pairs split on <c>&amp;</c> (empty
    /// pieces skipped, at most 1,000), <c>+</c> and <c>%XX</c> decoded (invalid UTF-8 becomes U+FFFD), keys grouped in
    /// JavaScript property order (array-index keys ascending, then first appearance), every value of a key written,
    /// everything but <c>A-Za-z0-9-_.!~*'()</c> percent-encoded. The key grouping is quadratic in the pairs: callers keep
    /// to <see cref="MaxQueryPieces"/>.
    /// </summary>
    public static int WriteLegacyQuery(ReadOnlySpan<char> query, Span<char> destination)
    {
        var maxPairs = Math.Min(MaxPairs, query.Count('&') + 1);
        var decoded = ArrayPool<char>.Shared.Rent(Math.Max(1, query.Length));
        var bytes = ArrayPool<byte>.Shared.Rent(Math.Max(1, query.Length * 3));
        var pairs = ArrayPool<Pair>.Shared.Rent(maxPairs);
        var order = ArrayPool<int>.Shared.Rent(maxPairs);
        try
        {
            var pairCount = 0;
            var decodedLength = 0;
            var remaining = query;
            while (pairCount < maxPairs)
            {
                var amp = remaining.IndexOf('&');
                var piece = amp < 0 ? remaining : remaining[..amp];
                if (!piece.IsEmpty)
                {
                    var eq = piece.IndexOf('=');
                    var keyStart = decodedLength;
                    decodedLength += Decode(eq < 0 ? piece : piece[..eq], bytes, decoded.AsSpan(decodedLength));
                    var valueStart = decodedLength;
                    decodedLength += eq < 0 ? 0 : Decode(piece[(eq + 1)..], bytes, decoded.AsSpan(decodedLength));
                    pairs[pairCount++] = new Pair(keyStart, valueStart - keyStart, valueStart, decodedLength - valueStart);
                }

                if (amp < 0)
                {
                    break;
                }

                remaining = remaining[(amp + 1)..];
            }

            var text = decoded.AsSpan(0, decodedLength);

            // One entry per distinct key (its first pair), in JavaScript own-property order.
            var keyCount = 0;
            for (var i = 0; i < pairCount; i++)
            {
                if (FirstWithKey(pairs, i, text) == i)
                {
                    order[keyCount++] = i;
                }
            }

            SortArrayIndexKeysFirst(order.AsSpan(0, keyCount), pairs, text);

            var written = 0;
            for (var k = 0; k < keyCount; k++)
            {
                var key = pairs[order[k]].Key(text);
                for (var i = order[k]; i < pairCount; i++)
                {
                    if (!pairs[i].Key(text).SequenceEqual(key))
                    {
                        continue;
                    }

                    if (written > 0)
                    {
                        destination[written++] = '&';
                    }

                    written += Escape(key, destination[written..]);
                    destination[written++] = '=';
                    written += Escape(pairs[i].Value(text), destination[written..]);
                }
            }

            return written;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(decoded);
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<Pair>.Shared.Return(pairs);
            ArrayPool<int>.Shared.Return(order);
        }
    }

    private static int FirstWithKey(Pair[] pairs, int index, ReadOnlySpan<char> text)
    {
        var key = pairs[index].Key(text);
        for (var j = 0; j < index; j++)
        {
            if (pairs[j].Key(text).SequenceEqual(key))
            {
                return j;
            }
        }

        return index;
    }

    // A stable insertion sort: array-index keys ("0" … "4294967294", canonical) ascending, then the rest as they came.
    private static void SortArrayIndexKeysFirst(Span<int> order, Pair[] pairs, ReadOnlySpan<char> text)
    {
        for (var i = 1; i < order.Length; i++)
        {
            var current = order[i];
            var rank = ArrayIndex(pairs[current].Key(text));
            var j = i - 1;
            while (j >= 0 && Precedes(rank, ArrayIndex(pairs[order[j]].Key(text))))
            {
                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = current;
        }
    }

    private static bool Precedes(long rank, long other) => rank >= 0 && (other < 0 || rank < other);

    private static long ArrayIndex(ReadOnlySpan<char> key)
    {
        if (key.IsEmpty || key.Length > 10 || (key[0] == '0' && key.Length > 1))
        {
            return -1;
        }

        long value = 0;
        foreach (var c in key)
        {
            if (!char.IsAsciiDigit(c))
            {
                return -1;
            }

            value = (value * 10) + (c - '0');
        }

        return value <= 4294967294L ? value : -1;
    }

    // '+' is a space, valid %XX is a byte, anything else its UTF-8; the bytes decode as UTF-8 with U+FFFD replacement.
    private static int Decode(ReadOnlySpan<char> encoded, byte[] bytes, Span<char> destination)
    {
        var count = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c == '%' && i + 2 < encoded.Length && char.IsAsciiHexDigit(encoded[i + 1]) && char.IsAsciiHexDigit(encoded[i + 2]))
            {
                bytes[count++] = (byte)((QueryParameter.HexValue(encoded[i + 1]) << 4) | QueryParameter.HexValue(encoded[i + 2]));
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes[count++] = c == '+' ? (byte)' ' : (byte)c;
            }
            else
            {
                // Unreachable after WHATWG normalisation (the query is ASCII); kept for a raw query.
                count += Encoding.UTF8.GetBytes(encoded.Slice(i, char.IsHighSurrogate(c) && i + 1 < encoded.Length ? 2 : 1), bytes.AsSpan(count));
                i += char.IsHighSurrogate(c) && i + 1 < encoded.Length ? 1 : 0;
            }
        }

        return Encoding.UTF8.GetChars(bytes.AsSpan(0, count), destination);
    }

    private static int Escape(ReadOnlySpan<char> text, Span<char> destination)
    {
        var written = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '!' or '~' or '*' or '\'' or '(' or ')')
            {
                destination[written++] = c;
            }
            else
            {
                written += PercentEncode(text, ref i, destination[written..]);
            }
        }

        return written;
    }

    private static int WritePath(ReadOnlySpan<char> path, Span<char> destination)
    {
        // The path starts with '/' (the authority ended at one) or is empty ("https://host?x" has the path "/").
        if (path.IsEmpty)
        {
            destination[0] = '/';
            return 1;
        }

        var written = 0;
        var segmentStart = 1;
        for (var i = 1; i <= path.Length; i++)
        {
            if (i < path.Length && path[i] is not ('/' or '\\'))
            {
                continue;
            }

            var segment = path[segmentStart..i];
            var atEnd = i == path.Length;
            if (IsDoubleDot(segment))
            {
                // Shorten the path: drop the last segment written.
                written = written == 0 ? 0 : destination[..written].LastIndexOf('/');
                if (atEnd)
                {
                    destination[written++] = '/';
                }
            }
            else if (IsSingleDot(segment))
            {
                if (atEnd)
                {
                    destination[written++] = '/';
                }
            }
            else
            {
                destination[written++] = '/';
                written += Encode(segment, EncodeSet.Path, destination[written..]);
            }

            segmentStart = i + 1;
        }

        return written;
    }

    private static bool IsSingleDot(ReadOnlySpan<char> segment) =>
        segment is "." || segment.Equals("%2e", StringComparison.OrdinalIgnoreCase);

    private static bool IsDoubleDot(ReadOnlySpan<char> segment) =>
        segment is ".."
        || segment.Equals(".%2e", StringComparison.OrdinalIgnoreCase)
        || segment.Equals("%2e.", StringComparison.OrdinalIgnoreCase)
        || segment.Equals("%2e%2e", StringComparison.OrdinalIgnoreCase);

    // An ASCII domain is lower-cased; an IPv6 literal is taken as it is (lower-cased); an IPv4 host must already be
    // canonical. Non-ASCII (IDNA), percent-encoded, punycode and non-canonical numeric hosts are not reproduced.
    private static bool TryWriteHost(ReadOnlySpan<char> host, Span<char> destination, out int length)
    {
        length = host.Length;
        if (host.IsEmpty)
        {
            return false;
        }

        if (host[0] == '[')
        {
            if (host[^1] != ']' || host[1..^1].ContainsAnyExcept(Ipv6Characters))
            {
                return false;
            }

            host.ToLowerInvariant(destination);
            return true;
        }

        foreach (var c in host)
        {
            if (c <= ' ' || c >= 0x7F || c is '#' or '%' or '/' or ':' or '<' or '>' or '?' or '@' or '[' or '\\' or ']' or '^' or '|')
            {
                return false;
            }
        }

        host.ToLowerInvariant(destination);
        var lower = destination[..host.Length];
        if (lower.StartsWith("xn--", StringComparison.Ordinal) || lower.Contains(".xn--", StringComparison.Ordinal))
        {
            return false;
        }

        var trimmed = lower.Length > 0 && lower[^1] == '.' ? lower[..^1] : lower;
        var last = trimmed[(trimmed.LastIndexOf('.') + 1)..];
        var numeric = !last.IsEmpty && (AllDigits(last) || last.StartsWith("0x", StringComparison.Ordinal));
        return !numeric || IsCanonicalIpv4(lower);
    }

    // A loop, not ContainsAnyExceptInRange, which allocates on each call in the runtimes tested.
    private static bool AllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsCanonicalIpv4(ReadOnlySpan<char> host)
    {
        var parts = 0;
        while (true)
        {
            var dot = host.IndexOf('.');
            var part = dot < 0 ? host : host[..dot];
            if (part.IsEmpty || part.Length > 3 || (part.Length > 1 && part[0] == '0') || !AllDigits(part)
                || int.Parse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }

            parts++;
            if (dot < 0)
            {
                return parts == 4;
            }

            host = host[(dot + 1)..];
        }
    }

    private static int Encode(ReadOnlySpan<char> text, EncodeSet set, Span<char> destination)
    {
        var written = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x80 && !InSet(c, set))
            {
                destination[written++] = c;
            }
            else
            {
                written += PercentEncode(text, ref i, destination[written..]);
            }
        }

        return written;
    }

    private static bool InSet(char c, EncodeSet set)
    {
        // C0 controls, DEL and above, and the WHATWG query set; Node 20 (ada) does not yet encode '^' in paths.
        if (c < 0x20 || c > 0x7E || c is ' ' or '"' or '#' or '<' or '>')
        {
            return true;
        }

        return set switch
        {
            EncodeSet.Query => c == '\'',
            EncodeSet.Path => c is '?' or '`' or '{' or '}',
            _ => c is '?' or '`' or '{' or '}' or '/' or ':' or ';' or '=' or '@' or '[' or '\\' or ']' or '^' or '|',
        };
    }

    // Percent-encodes the UTF-8 of the scalar at text[i] (a surrogate pair advances i; a lone surrogate is U+FFFD).
    private static int PercentEncode(ReadOnlySpan<char> text, ref int i, Span<char> destination)
    {
        Rune rune;
        if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            rune = new Rune(text[i], text[i + 1]);
            i++;
        }
        else
        {
            rune = Rune.IsValid(text[i]) ? new Rune(text[i]) : Rune.ReplacementChar;
        }

        Span<byte> utf8 = stackalloc byte[4];
        var count = rune.EncodeToUtf8(utf8);
        for (var b = 0; b < count; b++)
        {
            destination[3 * b] = '%';
            destination[(3 * b) + 1] = Hex[utf8[b] >> 4];
            destination[(3 * b) + 2] = Hex[utf8[b] & 0xF];
        }

        return 3 * count;
    }

    /// <summary>One decoded query pair: ranges in the decoded text.</summary>
    private readonly record struct Pair(int KeyStart, int KeyLength, int ValueStart, int ValueLength)
    {
        public ReadOnlySpan<char> Key(ReadOnlySpan<char> text) => text.Slice(KeyStart, KeyLength);

        public ReadOnlySpan<char> Value(ReadOnlySpan<char> text) => text.Slice(ValueStart, ValueLength);
    }
}

/// <summary>Positions in a URL written by <see cref="NodeUrlForms.TryNormalize"/>.</summary>
/// <param name="HostStart">Where the host starts.</param>
/// <param name="HostEnd">Where the host ends (the port, not written, would go here).</param>
/// <param name="Port">The explicit non-default port, or -1.</param>
/// <param name="QueryStart">Where the query starts (after '?'), or -1 without one.</param>
/// <param name="Length">The characters written.</param>
/// <param name="IsHttps">Whether the scheme is https.</param>
internal readonly record struct NormalizedUrl(int HostStart, int HostEnd, int Port, int QueryStart, int Length, bool IsHttps);
