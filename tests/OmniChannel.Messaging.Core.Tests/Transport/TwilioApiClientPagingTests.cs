using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Core.Tests.Transport;

public sealed class TwilioApiClientPagingTests
{
    // Conversations pages link to the next page with an absolute URL on Twilio's host; the client must follow it on the
    // configured host instead (credentials never leave for another host).
    private static WireResponse ConversationsPage(WireRequest request)
    {
        var page = request.QueryString.Contains("Page=2", StringComparison.Ordinal) ? 2 : request.QueryString.Contains("Page=1", StringComparison.Ordinal) ? 1 : 0;
        var next = page < 2 ? $"\"https://conversations.twilio.com/v1/Conversations?PageSize=2&Page={page + 1}&PageToken=PT{page + 1}\"" : "null";
        var items = string.Join(",", Enumerable.Range(page * 2, 2).Select(i => "{\"sid\":\"CH" + i.ToString("D32", System.Globalization.CultureInfo.InvariantCulture) + "\",\"friendly_name\":\"c" + i + "\"}"));
        return WireResponse.Ok($$$"""{"conversations":[{{{items}}}],"meta":{"page":{{{page}}},"page_size":2,"next_page_url":{{{next}}},"key":"conversations"}}""");
    }

    [Fact]
    public async Task ListAsync_ConversationsThreePages_FollowsNextPageUrlOnTheConfiguredHost()
    {
        await using var server = await WireServer.StartAsync(ConversationsPage);
        await using var provider = TransportFixture.Provider(server.BaseUrl);

        var request = new TwilioRequest(HttpMethod.Get, TwilioProduct.Conversations, "/v1/Conversations").AddQuery("PageSize", "2");
        var items = new List<TestResource>();
        await foreach (var item in provider.GetRequiredService<TwilioApiClient>().ListAsync(request, "conversations", TestJsonContext.Default.TestResource))
        {
            items.Add(item);
        }

        Assert.Equal(["c0", "c1", "c2", "c3", "c4", "c5"], items.Select(i => i.FriendlyName));
        Assert.Equal(
            ["?PageSize=2", "?PageSize=2&Page=1&PageToken=PT1", "?PageSize=2&Page=2&PageToken=PT2"],
            server.Requests.Select(r => r.QueryString));
        Assert.All(server.Requests, r => Assert.Equal("/v1/Conversations", r.Path));
    }

    [Fact]
    public async Task ListAsync_2010ApiRelativeNextPageUri_IsFollowed()
    {
        await using var server = await WireServer.StartAsync(request =>
        {
            var page = request.QueryString.Contains("Page=2", StringComparison.Ordinal) ? 2 : request.QueryString.Contains("Page=1", StringComparison.Ordinal) ? 1 : 0;
            var next = page < 2 ? $"\"/2010-04-01/Accounts/{TransportFixture.AccountSid}/Messages.json?PageSize=1&Page={page + 1}&PageToken=PASM{page}\"" : "null";
            return WireResponse.Ok($$"""{"messages":[{"sid":"SM{{page:D32}}"}],"next_page_uri":{{next}},"page":{{page}},"page_size":1}""");
        });
        await using var provider = TransportFixture.Provider(server.BaseUrl);
        var client = provider.GetRequiredService<TwilioApiClient>();

        var request = new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, $"/2010-04-01/Accounts/{client.AccountSid}/Messages.json").AddQuery("PageSize", "1");
        var sids = new List<string>();
        await foreach (var item in client.ListAsync(request, "messages", TestJsonContext.Default.TestResource))
        {
            sids.Add(item.Sid);
        }

        Assert.Equal(3, sids.Count);
        Assert.Equal(3, server.Count);
        Assert.Equal("SM00000000000000000000000000000002", sids[2]);
    }

    [Fact]
    public async Task ListAsync_IsLazy_FetchesNoPageUntilEnumeratedAndStopsWhenTheCallerStops()
    {
        await using var server = await WireServer.StartAsync(ConversationsPage);
        await using var provider = TransportFixture.Provider(server.BaseUrl);

        var sequence = provider.GetRequiredService<TwilioApiClient>().ListAsync(
            new TwilioRequest(HttpMethod.Get, TwilioProduct.Conversations, "/v1/Conversations").AddQuery("PageSize", "2"), "conversations", TestJsonContext.Default.TestResource);
        Assert.Equal(0, server.Count);

        var taken = 0;
        await foreach (var _ in sequence)
        {
            if (++taken == 3)
            {
                break;
            }
        }

        Assert.Equal(2, server.Count);
    }

    [Fact]
    public async Task ListAsync_CancelledMidway_ThrowsAndFetchesNoFurtherPage()
    {
        await using var server = await WireServer.StartAsync(ConversationsPage);
        await using var provider = TransportFixture.Provider(server.BaseUrl);
        using var cancellation = new CancellationTokenSource();

        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in provider.GetRequiredService<TwilioApiClient>().ListAsync(
                new TwilioRequest(HttpMethod.Get, TwilioProduct.Conversations, "/v1/Conversations").AddQuery("PageSize", "2"), "conversations", TestJsonContext.Default.TestResource, cancellation.Token))
            {
                if (++seen == 3)
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        Assert.Equal(4, seen);
        Assert.Equal(2, server.Count);
    }

    [Fact]
    public async Task ListAsync_PageWithoutItemsProperty_ThrowsJsonExceptionNamingIt()
    {
        await using var server = await WireServer.StartAsync(_ => WireResponse.Ok("""{"meta":{"next_page_url":null}}"""));
        await using var provider = TransportFixture.Provider(server.BaseUrl);

        var exception = await Assert.ThrowsAsync<System.Text.Json.JsonException>(async () =>
        {
            await foreach (var _ in provider.GetRequiredService<TwilioApiClient>().ListAsync(
                new TwilioRequest(HttpMethod.Get, TwilioProduct.Conversations, "/v1/Conversations"), "conversations", TestJsonContext.Default.TestResource))
            {
            }
        });

        Assert.Contains("conversations", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveNextPage_AbsoluteLinkOnAnotherHost_IsRebasedOntoTheConfiguredHost()
    {
        var resolved = OmniChannel.Messaging.Transport.Internal.TwilioEndpoints.ResolveNextPage(
            new Uri("http://127.0.0.1:4010/"), "https://evil.example.com/v1/Conversations?Page=1&PageToken=PT1");

        Assert.Equal(new Uri("http://127.0.0.1:4010/v1/Conversations?Page=1&PageToken=PT1"), resolved);
    }

    [Fact]
    public async Task ListAsync_BaseUrlWithPathPrefix_KeepsThePrefixOnEveryPage()
    {
        // A gateway in front of Twilio at http://host/twilio/: Twilio's absolute next-page links name its own host and no
        // prefix; every page must still go to the gateway under /twilio.
        await using var server = await WireServer.StartAsync(ConversationsPage);
        await using var provider = TransportFixture.Provider(new Uri(server.BaseUrl, "twilio/"));

        var request = new TwilioRequest(HttpMethod.Get, TwilioProduct.Conversations, "/v1/Conversations").AddQuery("PageSize", "2");
        var items = new List<TestResource>();
        await foreach (var item in provider.GetRequiredService<TwilioApiClient>().ListAsync(request, "conversations", TestJsonContext.Default.TestResource))
        {
            items.Add(item);
        }

        Assert.Equal(6, items.Count);
        Assert.Equal(3, server.Count);
        Assert.All(server.Requests, r => Assert.Equal("/twilio/v1/Conversations", r.Path));
        Assert.Equal("?PageSize=2&Page=2&PageToken=PT2", server.Requests.Last().QueryString);
    }

    [Theory]
    [InlineData("http://gw:8080/twilio/", "https://conversations.twilio.com/v1/Conversations?Page=1", "http://gw:8080/twilio/v1/Conversations?Page=1")]
    [InlineData("http://gw:8080/twilio/", "http://gw:8080/twilio/v1/Conversations?Page=1", "http://gw:8080/twilio/v1/Conversations?Page=1")]
    [InlineData("http://gw:8080/twilio/", "http://gw:8080/v1/Conversations?Page=1", "http://gw:8080/twilio/v1/Conversations?Page=1")]
    [InlineData("http://gw:8080/twilio", "/2010-04-01/Accounts/AC1/Messages.json?Page=1", "http://gw:8080/twilio/2010-04-01/Accounts/AC1/Messages.json?Page=1")]
    [InlineData("https://conversations.twilio.com/", "https://conversations.twilio.com/v1/Conversations?Page=1", "https://conversations.twilio.com/v1/Conversations?Page=1")]
    public void ResolveNextPage_BaseUrlPathPrefix_IsKept(string baseUrl, string link, string expected)
    {
        Assert.Equal(new Uri(expected), OmniChannel.Messaging.Transport.Internal.TwilioEndpoints.ResolveNextPage(new Uri(baseUrl), link));
    }
}
