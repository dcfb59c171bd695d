using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Testing.Tests;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task InjectFault_TooManyRequests_Answers429WithRetryAfterThenRecovers()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        twilio.InjectFault("POST", "/v1/Conversations", EmulatedFault.TooManyRequests(TimeSpan.FromSeconds(2)), count: 2);

        using var content = new FormUrlEncodedContent([]);
        using var first = await http.PostAsync(new Uri("v1/Conversations", UriKind.Relative), content);
        var second = await http.PostAsync("/v1/Conversations");
        var third = await http.PostAsync("/v1/Conversations");

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), first.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.Status);
        Assert.Equal(20429, second.Body.Code());
        Assert.Equal(HttpStatusCode.Created, third.Status);
    }

    [Fact]
    public async Task InjectFault_SdkClientGets429_RetriesAndSucceeds()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        await using var provider = EmulatorClient.CreateServices(twilio, maxAttempts: 3);
        var client = provider.GetRequiredService<TwilioApiClient>();
        using var http = EmulatorClient.Raw(twilio);
        var sid = (await http.PostAsync("/v1/Conversations")).Body.Str("sid");
        twilio.ClearRequests();
        twilio.InjectFault("GET", "/v1/Conversations/*", EmulatedFault.TooManyRequests(), count: 1);

        var fetched = await client.SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Conversations, $"/v1/Conversations/{sid}"), EmulatorClient.Element);

        Assert.Equal(sid, fetched.Str("sid"));
        Assert.Equal(2, twilio.Requests.Count);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task InjectFault_ServerError_AnswersStatusWithTwilioBody(int status)
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        twilio.InjectFault("GET", "/v1/**", EmulatedFault.ServerError(status));

        var faulted = await http.GetJsonAsync("/v1/Conversations");
        var normal = await http.GetJsonAsync("/v1/Conversations");

        Assert.Equal(status, (int)faulted.Status);
        Assert.Equal(status, faulted.Body.GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.OK, normal.Status);
    }

    [Fact]
    public async Task InjectFault_Slow_DelaysTheAnswer()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        twilio.InjectFault("GET", "/v1/Conversations", EmulatedFault.Slow(TimeSpan.FromMilliseconds(400)));

        var watch = Stopwatch.StartNew();
        var (status, _) = await http.GetJsonAsync("/v1/Conversations");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(380), $"Answered after {watch.Elapsed}.");
    }

    [Fact]
    public async Task InjectFault_DropConnection_ClientSeesTransportFailure()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        twilio.InjectFault("POST", "/2010-04-01/Accounts/*/Messages.json", EmulatedFault.DropConnection());

        await Assert.ThrowsAsync<HttpRequestException>(() => http.PostAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Messages.json", ("To", "+14155550100"), ("From", "+14155551234"), ("Body", "x")));
        var after = await http.PostAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Messages.json", ("To", "+14155550100"), ("From", "+14155551234"), ("Body", "x"));

        Assert.Equal(HttpStatusCode.Created, after.Status);
    }

    [Fact]
    public async Task RequestsPerSecond_AboveLimit_Answers429With20429UntilNextSecond()
    {
        var clock = new ManualTimeProvider();
        await using var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { TimeProvider = clock, RequestsPerSecond = 3 });
        using var http = EmulatorClient.Raw(twilio);

        var results = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            results.Add((await http.GetJsonAsync("/v1/Conversations")).Status);
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        var next = await http.GetJsonAsync("/v1/Conversations");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], results);
        Assert.Equal(HttpStatusCode.OK, next.Status);
    }

    [Fact]
    public async Task Requests_Log_KeepsFormOrderRepeatedKeysQueryAndHeadersWithoutAuthorization()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        await using var provider = EmulatorClient.CreateServices(twilio);
        var client = provider.GetRequiredService<TwilioApiClient>();

        await client.SendAsync(
            new TwilioRequest(HttpMethod.Post, TwilioProduct.Api, $"/2010-04-01/Accounts/{twilio.AccountSid}/Messages.json")
                .AddForm("To", "+14155550100").AddForm("From", "+14155551234")
                .AddFormValues("MediaUrl", ["https://example.com/1.jpg", "https://example.com/2.jpg"]).AddForm("Body", "a b&c")
                .SetHeader("X-Custom", "yes"),
            EmulatorClient.Element);
        await client.SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Conversations, "/v1/Conversations").AddQuery("PageSize", "5").AddQuery("State", "active"), EmulatorClient.Element);

        var post = twilio.Requests[0];
        var get = twilio.Requests[1];
        Assert.Equal("POST", post.Method);
        Assert.Equal(["To", "From", "MediaUrl", "MediaUrl", "Body"], post.Form.Select(p => p.Key));
        Assert.Equal(["https://example.com/1.jpg", "https://example.com/2.jpg"], post.FormValues("MediaUrl"));
        Assert.Equal("a b&c", post.FormValue("Body"));
        Assert.Equal("yes", post.Headers["X-Custom"]);
        Assert.False(post.Headers.ContainsKey("Authorization"));
        Assert.Equal("?PageSize=5&State=active", get.QueryString);
        Assert.Equal(["PageSize", "State"], get.Query.Select(p => p.Key));
    }

    [Fact]
    public async Task InjectFault_CustomErrorOnOneMethodAndPattern_LeavesOtherRequestsAlone()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        twilio.InjectFault("POST", "/v1/Conversations/*/Participants", EmulatedFault.Error(409, 50391, "Conflicting conversation modification"), count: 1);
        var conversation = (await http.PostAsync("/v1/Conversations")).Body.Str("sid");

        var listed = await http.GetJsonAsync($"/v1/Conversations/{conversation}/Participants");
        var faulted = await http.PostAsync($"/v1/Conversations/{conversation}/Participants", ("Identity", "a"));
        var retried = await http.PostAsync($"/v1/Conversations/{conversation}/Participants", ("Identity", "a"));

        Assert.Equal(HttpStatusCode.OK, listed.Status);
        Assert.Equal(HttpStatusCode.Conflict, faulted.Status);
        Assert.Equal(50391, faulted.Body.Code());
        Assert.Equal(HttpStatusCode.Created, retried.Status);
    }

    [Fact]
    public async Task ClearFaults_RemovesUnusedRules()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        twilio.InjectFault("*", "/**", EmulatedFault.ServerError(), count: 5);

        twilio.ClearFaults();
        var (status, _) = await http.GetJsonAsync("/v1/Conversations");

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public void EmulatedFault_ServerErrorOutsideRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EmulatedFault.ServerError(404));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmulatedFault.Slow(TimeSpan.FromSeconds(-1)));
    }
}
