using System.Text;
using OmniChannel.Messaging.AspNetCore.Internal;

namespace OmniChannel.Messaging.AspNetCore.Tests.Internal;

public sealed class WebhookBodyTests
{
    [Theory]
    [InlineData("a=1&b=2", "a=1|b=2")]
    [InlineData("Body=Hello+World%21&From=%2B14155550111", "Body=Hello World!|From=+14155550111")]
    [InlineData("k=%E4%B8%AD%F0%9F%98%80", "k=中😀")]
    [InlineData("k=100%&j=%zz&l=%4", "k=100%|j=%zz|l=%4")]
    [InlineData("&&a=&=v&flag", "a=|=v|flag=")]
    [InlineData("A=1&a=2&A=3", "A=1|a=2|A=3")]
    [InlineData("k=a%3Db%26c", "k=a=b&c")]
    [InlineData("", "")]
    public void ParseForm_Body_PairsInOrderDecoded(string body, string expected)
    {
        var pairs = WebhookBody.ParseForm(Encoding.UTF8.GetBytes(body));

        Assert.Equal(expected, string.Join('|', pairs.Select(p => p.Key + "=" + p.Value)));
    }

    [Fact]
    public void ParseForm_LargeBody_UsesRentedScratchAndDecodesEveryValue()
    {
        var value = new string('x', 3000) + "+%C3%A9";
        var pairs = WebhookBody.ParseForm(Encoding.UTF8.GetBytes("a=" + value + "&b=2"));

        Assert.Equal(new string('x', 3000) + " é", pairs[0].Value);
        Assert.Equal("2", pairs[1].Value);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded; charset=UTF-8", "Form")]
    [InlineData("Application/JSON", "Json")]
    [InlineData("text/xml", null)]
    [InlineData(null, null)]
    public void KindOf_ContentType_Classified(string? contentType, string? expected)
    {
        Assert.Equal(expected, WebhookBody.KindOf(contentType)?.ToString());
    }
}
