namespace OmniChannel.Messaging.Webhooks.Internal;

/// <summary>
/// Splits a URL the way Twilio's helpers do, without normalising it: the bytes Twilio signed are the URL as sent,
/// so the path and query keep their exact characters and only the port is added or removed.
/// </summary>
internal readonly ref struct SignatureUrl
{
    private SignatureUrl(ReadOnlySpan<char> url, int schemeEnd, int hostStart, int hostEnd, int authorityEnd, bool isHttps)
    {
        Url = url;
        SchemeEnd = schemeEnd;
        HostStart = hostStart;
        HostEnd = hostEnd;
        AuthorityEnd = authorityEnd;
        IsHttps = isHttps;
    }

    /// <summary>Gets the whole URL.</summary>
    public ReadOnlySpan<char> Url { get; }

    /// <summary>Gets the index just after <c>://</c>, where the authority starts.</summary>
    public int SchemeEnd { get; }

    /// <summary>Gets the index where the host starts (after any user info).</summary>
    public int HostStart { get; }

    /// <summary>Gets the index just after the host (where a port's colon would start).</summary>
    public int HostEnd { get; }

    /// <summary>Gets the index just after the authority (host and port).</summary>
    public int AuthorityEnd { get; }

    /// <summary>Gets a value indicating whether the scheme is https (case-insensitive).</summary>
    public bool IsHttps { get; }

    /// <summary>Gets a value indicating whether the URL names a port (even an empty one, <c>host:</c>).</summary>
    public bool HasPort => AuthorityEnd != HostEnd;

    /// <summary>Gets the URL without its port.</summary>
    public ReadOnlySpan<char> BeforePort => Url[..HostEnd];

    /// <summary>Gets the part after the authority: path, query.</summary>
    public ReadOnlySpan<char> Rest => Url[AuthorityEnd..];

    /// <summary>Gets the default port for the scheme, with its colon.</summary>
    public ReadOnlySpan<char> DefaultPort => IsHttps ? ":443" : ":80";

    /// <summary>Splits <c>scheme://[userinfo@]host[:port]rest</c>; the scheme is <c>[a-z][a-z0-9+.-]*</c>, any case.</summary>
    public static bool TryParse(ReadOnlySpan<char> url, out SignatureUrl result)
    {
        result = default;
        if (url.IsEmpty || !char.IsAsciiLetter(url[0]))
        {
            return false;
        }

        var i = 1;
        while (i < url.Length && (char.IsAsciiLetterOrDigit(url[i]) || url[i] is '+' or '.' or '-'))
        {
            i++;
        }

        if (!url[i..].StartsWith("://", StringComparison.Ordinal))
        {
            return false;
        }

        var schemeEnd = i + 3;
        var isHttps = url[..schemeEnd].Equals("https://", StringComparison.OrdinalIgnoreCase);
        var authorityLength = url[schemeEnd..].IndexOfAny('/', '?', '#');
        var authorityEnd = authorityLength < 0 ? url.Length : schemeEnd + authorityLength;
        var authority = url[schemeEnd..authorityEnd];
        var hostStart = authority.LastIndexOf('@') + 1;
        var hostAndPort = authority[hostStart..];

        // A colon starts the port only after the closing bracket of an IPv6 literal.
        var bracket = hostAndPort.LastIndexOf(']') + 1;
        var colon = hostAndPort[bracket..].IndexOf(':');
        var hostEnd = colon < 0 ? authorityEnd : schemeEnd + hostStart + bracket + colon;
        result = new SignatureUrl(url, schemeEnd, schemeEnd + hostStart, hostEnd, authorityEnd, isHttps);
        return true;
    }
}
