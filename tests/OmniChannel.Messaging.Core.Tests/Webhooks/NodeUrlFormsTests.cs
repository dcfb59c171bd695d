using OmniChannel.Messaging.Webhooks.Internal;

namespace OmniChannel.Messaging.Core.Tests.Webhooks;

// Expected values printed by Node 20 (`new URL(u).toString()` and `querystring.stringify(querystring.parse(q))`).
public sealed class NodeUrlFormsTests
{
    [Theory]
    [InlineData("https://h.com/a^b`c{d}|e[f]/./h/../i%2e/%2E%2E/j?q=a^b`c{d}|e'\"<>[]\\ \u00e9\u007f", "https://h.com/a^b%60c%7Bd%7D|e[f]/j?q=a^b`c{d}|e%27%22%3C%3E[]\\%20%C3%A9%7F")]
    [InlineData("HTTPS://User:p@ss:w@H.COM:0443?x", "https://User:p%40ss%3Aw@h.com/?x")]
    [InlineData("https://h.com:443/a/..", "https://h.com/")]
    [InlineData("https://h.com:/a/.", "https://h.com/a/")]
    [InlineData("https://h.com/a/%2e%2E", "https://h.com/")]
    [InlineData("http://h.com:8080/\ud83d\ude00?x", "http://h.com:8080/%F0%9F%98%80?x")]
    public void TryNormalize_Url_MatchesNodeWhatwgSerialisation(string url, string expected)
    {
        var buffer = new char[NodeUrlForms.MaxNormalizedLength(url)];

        Assert.True(NodeUrlForms.TryNormalize(url, buffer, out var result));

        var text = new string(buffer, 0, result.Length);
        var withPort = result.Port < 0 ? text : text[..result.HostEnd] + ":" + result.Port + text[result.HostEnd..];
        Assert.Equal(expected, withPort);
    }

    [Fact]
    public void TryNormalize_LoneSurrogate_EncodesReplacementCharacter()
    {
        var url = "http://h.com/?" + '\ud800' + "x";
        var buffer = new char[NodeUrlForms.MaxNormalizedLength(url)];

        Assert.True(NodeUrlForms.TryNormalize(url, buffer, out var result));
        Assert.Equal("http://h.com/?%EF%BF%BDx", new string(buffer, 0, result.Length));
    }

    [Theory]
    [InlineData("ftp://h.com/x")] // not http(s)
    [InlineData("https://b\u00fccher.de/x")] // IDNA host
    [InlineData("https://h%41.com/x")] // percent-encoded host
    [InlineData("https://1.2.3/x")] // non-canonical IPv4
    [InlineData("https://h.com:99999/x")] // Node's URL rejects the port
    [InlineData("https://h.com/a\tb")] // WHATWG strips tabs: not reproduced
    public void TryNormalize_OutsideReproducedSubset_ReturnsFalse(string url)
    {
        Assert.False(NodeUrlForms.TryNormalize(url, new char[NodeUrlForms.MaxNormalizedLength(url)], out _));
    }

    [Theory]
    [InlineData("https://h.com/ <>\"`{}?' '", 77)] // ASCII: each character at most %XX
    [InlineData("https://h.com/\u00e9", 137)] // non-ASCII: each UTF-16 unit at most three escapes
    public void MaxNormalizedLength_Url_BoundsWhatTryNormalizeWrites(string url, int expectedMax)
    {
        url = System.Text.RegularExpressions.Regex.Unescape(url);
        var buffer = new char[NodeUrlForms.MaxNormalizedLength(url)];

        Assert.Equal(expectedMax, buffer.Length);
        Assert.True(NodeUrlForms.TryNormalize(url, buffer, out var result));
        Assert.True(result.Length <= buffer.Length);
    }

    [Theory]
    [InlineData(4096, 0, true)]
    [InlineData(4097, 0, false)]
    [InlineData(300, 99, true)]
    [InlineData(400, 100, false)]
    public void IsWithinLimits_UrlLengthAndQueryPieces_AppliesTheCaps(int length, int ampersands, bool expected)
    {
        var query = "?" + string.Concat(Enumerable.Repeat("a&", ampersands));
        var url = "https://h.com/" + new string('x', length - "https://h.com/".Length - query.Length) + query;

        Assert.Equal(expected, NodeUrlForms.IsWithinLimits(url));
    }

    [Theory]
    [InlineData("a=1&&b=2", "a=1&b=2")]
    [InlineData("=x", "=x")]
    [InlineData("a", "a=")]
    [InlineData("&", "")]
    [InlineData("a=b=c", "a=b%3Dc")]
    [InlineData("+", "%20=")]
    [InlineData("%zz", "%25zz=")]
    [InlineData("%E2%9C", "%EF%BF%BD=")]
    [InlineData("2=a&1=b&x=c&0=d&01=e&4294967295=f&4294967294=g", "0=d&1=b&2=a&4294967294=g&x=c&01=e&4294967295=f")]
    [InlineData("a=1&b=2&a=3", "a=1&a=3&b=2")]
    [InlineData("It%27s+amazing", "It's%20amazing=")]
    [InlineData("a=%41%2", "a=A%252")]
    [InlineData("x=%ED%A0%80", "x=%EF%BF%BD%EF%BF%BD%EF%BF%BD")]
    [InlineData("a=~!*()%27-_.", "a=~!*()'-_.")]
    [InlineData("a=1&=&b", "a=1&=&b=")]
    [InlineData("a=%20+%2B", "a=%20%20%2B")]
    public void WriteLegacyQuery_Query_MatchesNodeQuerystring(string query, string expected)
    {
        var buffer = new char[NodeUrlForms.MaxLegacyQueryLength(query.Length)];

        var length = NodeUrlForms.WriteLegacyQuery(query, buffer);

        Assert.Equal(expected, new string(buffer, 0, length));
    }
}
