namespace OmniChannel.Messaging.Webhooks.Internal;

/// <summary>Finds a query parameter as <c>URLSearchParams.get</c> does: first match, names and values form-decoded.</summary>
internal static class QueryParameter
{
    /// <summary>
    /// Decodes the value of the first parameter named <paramref name="name"/> (ASCII) into <paramref name="value"/>.
    /// Returns -1 when the parameter is absent; a value that does not fit, or that decodes to non-ASCII, is returned
    /// as <paramref name="value"/>'s length + 1 so it never equals an expected ASCII value of that length.
    /// </summary>
    public static int TryGet(ReadOnlySpan<char> url, string name, Span<char> value)
    {
        var queryStart = url.IndexOf('?');
        if (queryStart < 0)
        {
            return -1;
        }

        var query = url[(queryStart + 1)..];
        var fragment = query.IndexOf('#');
        if (fragment >= 0)
        {
            query = query[..fragment];
        }

        Span<char> nameBuffer = stackalloc char[name.Length + 1];
        while (!query.IsEmpty)
        {
            var amp = query.IndexOf('&');
            var pair = amp < 0 ? query : query[..amp];
            query = amp < 0 ? ReadOnlySpan<char>.Empty : query[(amp + 1)..];
            var eq = pair.IndexOf('=');
            var rawName = eq < 0 ? pair : pair[..eq];
            var nameLength = Decode(rawName, nameBuffer);
            if (nameLength == name.Length && nameBuffer[..nameLength].SequenceEqual(name))
            {
                return Decode(eq < 0 ? ReadOnlySpan<char>.Empty : pair[(eq + 1)..], value);
            }
        }

        return -1;
    }

    private static int Decode(ReadOnlySpan<char> raw, Span<char> destination)
    {
        var written = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '+')
            {
                c = ' ';
            }
            else if (c == '%' && i + 2 < raw.Length && char.IsAsciiHexDigit(raw[i + 1]) && char.IsAsciiHexDigit(raw[i + 2]))
            {
                c = (char)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]));
                i += 2;
            }

            if (c > 0x7F || written == destination.Length)
            {
                return destination.Length + 1;
            }

            destination[written++] = c;
        }

        return written;
    }

    /// <summary>Gets the value of an ASCII hexadecimal digit (either case).</summary>
    public static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
