using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Testing;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Sms.Tests;

public sealed class SmsClientTests
{
    [Fact]
    public async Task SendAsync_ServiceAndCallback_PostsTwilioFieldsAndReturnsAccepted()
    {
        await using var h = await SmsHarness.StartAsync(o =>
        {
            o.MessagingServiceSid = SmsHarness.ServiceSid;
            o.StatusCallback = new Uri("https://example.com/twilio/status?tenant=acme");
        });

        var result = await h.Client.SendAsync(new SmsMessage("+1 (415) 555-0100", "Your code is 123456")
        {
            ValidityPeriod = TimeSpan.FromMinutes(10),
            ProvideFeedback = true,
        });

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(MessageSendOutcome.Accepted, result.Outcome);
        Assert.StartsWith("SM", result.MessageSid, StringComparison.Ordinal);
        Assert.Equal(MessageStatus.Accepted, result.Status);
        Assert.Equal(1, result.Segments);
        Assert.Equal(MessageErrorCategory.None, result.ErrorCategory);
        var post = Assert.Single(h.MessagePosts);
        Assert.Equal(SmsHarness.User, post.FormValue("To"));
        Assert.Equal(SmsHarness.ServiceSid, post.FormValue("MessagingServiceSid"));
        Assert.Null(post.FormValue("From"));
        Assert.Equal("Your code is 123456", post.FormValue("Body"));
        Assert.Equal("https://example.com/twilio/status?tenant=acme", post.FormValue("StatusCallback"));
        Assert.Equal("600", post.FormValue("ValidityPeriod"));
        Assert.Equal("true", post.FormValue("ProvideFeedback"));
    }

    [Fact]
    public async Task SendAsync_NationalNumberWithDefaultRegion_NormalizesToE164()
    {
        await using var h = await SmsHarness.StartAsync(o => o.DefaultRegion = "US");

        var result = await h.Client.SendAsync("(415) 555-0100", "Hi");

        Assert.Equal(MessageSendOutcome.Accepted, result.Outcome);
        Assert.Equal(SmsHarness.User, result.To);
        Assert.Equal(SmsHarness.From, Assert.Single(h.MessagePosts).FormValue("From"));
    }

    [Fact]
    public async Task SendAsync_InvalidNumber_ReturnsInvalidRecipientWithoutHttpCall()
    {
        await using var h = await SmsHarness.StartAsync();

        var result = await h.Client.SendAsync("not a number", "Hi");

        Assert.Equal(MessageSendOutcome.InvalidRecipient, result.Outcome);
        Assert.Equal(MessageErrorCategory.Recipient, result.ErrorCategory);
        Assert.False(string.IsNullOrEmpty(result.ErrorMessage));
        Assert.Empty(h.Twilio.Requests);
    }

    [Fact]
    public async Task SendAsync_SuppressedRecipient_ReturnsSuppressedWithoutHttpCall()
    {
        await using var h = await SmsHarness.StartAsync();
        await h.Suppression.SuppressAsync(MessagingChannel.Sms, SuppressionScope.Sender(SmsHarness.From), SmsHarness.User);

        var result = await h.Client.SendAsync(SmsHarness.User, "Hi");

        Assert.Equal(MessageSendOutcome.Suppressed, result.Outcome);
        Assert.Contains("opted out", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(h.Twilio.Requests);
    }

    [Fact]
    public async Task SendAsync_Twilio21610_SuppressesRecipientAndNeverRetries()
    {
        await using var h = await SmsHarness.StartAsync();
        h.Twilio.OptOut(SmsHarness.From, SmsHarness.User);

        var first = await h.Client.SendAsync(SmsHarness.User, "Hi");
        var second = await h.Client.SendAsync(SmsHarness.User, "Hi again");

        Assert.Equal(MessageSendOutcome.Failed, first.Outcome);
        Assert.Equal(21610, first.ErrorCode);
        Assert.Equal(MessageErrorCategory.Recipient, first.ErrorCategory);
        Assert.Equal(HttpStatusCode.BadRequest, first.HttpStatus);
        Assert.False(first.IsRetryable);
        Assert.Equal(MessageSendOutcome.Suppressed, second.Outcome);
        Assert.Single(h.MessagePosts);
        Assert.True(await h.Suppression.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender(SmsHarness.From), SmsHarness.User));
    }

    [Theory]
    [InlineData(400, 21211, MessageErrorCategory.Recipient)]
    [InlineData(400, 21614, MessageErrorCategory.Recipient)]
    [InlineData(400, 21606, MessageErrorCategory.SenderConfiguration)]
    [InlineData(401, 20003, MessageErrorCategory.SenderConfiguration)]
    [InlineData(400, 30007, MessageErrorCategory.ContentFiltered)]
    [InlineData(400, 99999, MessageErrorCategory.Other)]
    [InlineData(400, 30003, MessageErrorCategory.Recipient)]
    [InlineData(400, 30005, MessageErrorCategory.Recipient)]
    public async Task SendAsync_SynchronousError_ClassifiedByStatusThenCode(int status, int code, MessageErrorCategory expected)
    {
        await using var h = await SmsHarness.StartAsync();
        h.Twilio.InjectFault("POST", "/2010-04-01/Accounts/*/Messages.json", EmulatedFault.Error(status, code, "Refused"));

        var result = await h.Client.SendAsync(SmsHarness.User, "Hi");

        Assert.Equal(MessageSendOutcome.Failed, result.Outcome);
        Assert.Equal(code, result.ErrorCode);
        Assert.Equal(expected, result.ErrorCategory);
        Assert.Equal((HttpStatusCode)status, result.HttpStatus);
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_ServerError_ReturnsMaybeSentWithoutResendingThePost()
    {
        await using var h = await SmsHarness.StartAsync();
        h.Twilio.InjectFault("POST", "/2010-04-01/Accounts/*/Messages.json", EmulatedFault.ServerError(500), count: 3);

        var result = await h.Client.SendAsync(SmsHarness.User, "Hi");

        Assert.Equal(MessageSendOutcome.MaybeSent, result.Outcome);
        Assert.Equal(MessageErrorCategory.Retryable, result.ErrorCategory);
        Assert.False(result.IsRetryable);
        Assert.Contains("may have been sent", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.InternalServerError, result.HttpStatus);
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_Throttled20429Once_RetriedAndAccepted()
    {
        await using var h = await SmsHarness.StartAsync();
        h.Twilio.InjectFault("POST", "/2010-04-01/Accounts/*/Messages.json", EmulatedFault.TooManyRequests());

        var result = await h.Client.SendAsync(SmsHarness.User, "Hi");

        Assert.Equal(MessageSendOutcome.Accepted, result.Outcome);
        Assert.Equal(2, h.MessagePosts.Count);
    }

    [Fact]
    public async Task SendAsync_Throttled20429Always_FailsRetryable()
    {
        await using var h = await SmsHarness.StartAsync(transport: o => o.Retry.MaxAttempts = 2);
        h.Twilio.InjectFault("POST", "/2010-04-01/Accounts/*/Messages.json", EmulatedFault.TooManyRequests(TimeSpan.FromSeconds(1)), count: 5);

        var result = await h.Client.SendAsync(SmsHarness.User, "Hi");

        Assert.Equal(MessageSendOutcome.Failed, result.Outcome);
        Assert.Equal(20429, result.ErrorCode);
        Assert.True(result.IsRetryable);
        Assert.Equal(TimeSpan.FromSeconds(1), result.RetryAfter);
    }

    [Fact]
    public async Task SendAsync_TimeoutAfterRequestLeft_ReturnsMaybeSentAndDoesNotRetry()
    {
        // The attempt timeout runs on the injected clock and fires only once the POST has reached the emulator.
        var clock = new ManualTimeProvider();
        await using var h = await SmsHarness.StartAsync(transport: o => o.AttemptTimeout = TimeSpan.FromSeconds(1), services: s => s.AddSingleton<TimeProvider>(clock));
        h.Twilio.InjectFault("POST", "/2010-04-01/Accounts/*/Messages.json", EmulatedFault.Slow(TimeSpan.FromSeconds(30)));

        var send = h.Client.SendAsync(SmsHarness.User, "Hi");
        var waited = TimeProvider.System.GetTimestamp();
        while (h.MessagePosts.Count == 0 && TimeProvider.System.GetElapsedTime(waited) < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        var result = await send.WaitAsync(TimeSpan.FromSeconds(60), TimeProvider.System);

        Assert.Equal(MessageSendOutcome.MaybeSent, result.Outcome);
        Assert.Contains("may have been sent", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_ConnectionDroppedAfterRequest_ReturnsMaybeSent()
    {
        await using var h = await SmsHarness.StartAsync();
        h.Twilio.InjectFault("POST", "/2010-04-01/Accounts/*/Messages.json", EmulatedFault.DropConnection());

        var result = await h.Client.SendAsync(SmsHarness.User, "Hi");

        Assert.Equal(MessageSendOutcome.MaybeSent, result.Outcome);
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_ConnectionRefused_FailsRetryableNotMaybeSent()
    {
        await using var h = await SmsHarness.StartAsync(transport: o =>
        {
            o.ApiBaseUrl = new Uri("http://127.0.0.1:1/");
            o.Retry.MaxAttempts = 1;
        });

        var result = await h.Client.SendAsync(SmsHarness.User, "Hi");

        Assert.Equal(MessageSendOutcome.Failed, result.Outcome);
        Assert.True(result.IsRetryable);
    }

    [Fact]
    public async Task SendAsync_SameIdempotencyKeyTwice_SendsOnceAndReturnsFirstResult()
    {
        await using var h = await SmsHarness.StartAsync();

        var first = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-42" });
        var second = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-42" });

        Assert.False(first.IsDuplicate);
        Assert.True(second.IsDuplicate);
        Assert.Equal(first.MessageSid, second.MessageSid);
        Assert.Equal(MessageSendOutcome.Accepted, second.Outcome);
        Assert.Equal("order-42", second.IdempotencyKey);
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_SameIdempotencyKeyConcurrently_SendsExactlyOnce()
    {
        await using var h = await SmsHarness.StartAsync();
        h.Twilio.InjectFault("POST", "/2010-04-01/Accounts/*/Messages.json", EmulatedFault.Slow(TimeSpan.FromMilliseconds(300)));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-43" }))));

        Assert.Single(h.MessagePosts);
        Assert.Single(results.Select(r => r.MessageSid).Distinct());
        Assert.All(results, r => Assert.Equal(MessageSendOutcome.Accepted, r.Outcome));
        Assert.Equal(19, results.Count(r => r.IsDuplicate));
    }

    [Fact]
    public async Task SendAsync_IdempotencyKeyAfterMaybeSent_DoesNotSendAgain()
    {
        await using var h = await SmsHarness.StartAsync();
        h.Twilio.InjectFault("POST", "/2010-04-01/Accounts/*/Messages.json", EmulatedFault.DropConnection());

        var first = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-44" });
        var second = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-44" });

        Assert.Equal(MessageSendOutcome.MaybeSent, first.Outcome);
        Assert.Equal(MessageSendOutcome.MaybeSent, second.Outcome);
        Assert.True(second.IsDuplicate);
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_IdempotencyKeyAfterDefiniteFailure_SendsAgain()
    {
        await using var h = await SmsHarness.StartAsync();
        h.Twilio.InjectFault("POST", "/2010-04-01/Accounts/*/Messages.json", EmulatedFault.Error(400, 21211, "Invalid 'To' Phone Number"));

        var first = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-45" });
        var second = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-45" });

        Assert.Equal(MessageSendOutcome.Failed, first.Outcome);
        Assert.Equal(MessageSendOutcome.Accepted, second.Outcome);
        Assert.False(second.IsDuplicate);
        Assert.Equal(2, h.MessagePosts.Count);
    }

    [Fact]
    public async Task SendAsync_Mms_SendsEachMediaUrlAsRepeatedField()
    {
        await using var h = await SmsHarness.StartAsync();

        var result = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Photos")
        {
            MediaUrls = [new Uri("https://cdn.example.com/a.jpg"), new Uri("https://cdn.example.com/b.png")],
        });

        Assert.Equal(MessageSendOutcome.Accepted, result.Outcome);
        Assert.StartsWith("MM", result.MessageSid, StringComparison.Ordinal);
        Assert.Equal(["https://cdn.example.com/a.jpg", "https://cdn.example.com/b.png"], Assert.Single(h.MessagePosts).FormValues("MediaUrl"));
    }

    [Theory]
    [InlineData("http://cdn.example.com/a.jpg")]
    [InlineData("https://user:secret@cdn.example.com/a.jpg")]
    [InlineData("https://localhost/a.jpg")]
    [InlineData("https://192.168.1.10/a.jpg")]
    [InlineData("https://10.0.0.1/a.jpg")]
    [InlineData("https://printer.local/a.jpg")]
    public async Task SendAsync_BadMediaUrl_ReturnsInvalidContentWithoutHttpCall(string url)
    {
        await using var h = await SmsHarness.StartAsync();

        var result = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, null) { MediaUrls = [new Uri(url)] });

        Assert.Equal(MessageSendOutcome.InvalidContent, result.Outcome);
        Assert.DoesNotContain("secret", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(h.Twilio.Requests);
    }

    [Fact]
    public async Task SendAsync_ElevenMediaUrls_ThrowsBeforeAnyCall()
    {
        await using var h = await SmsHarness.StartAsync();
        var media = Enumerable.Range(0, 11).Select(i => new Uri($"https://cdn.example.com/{i}.jpg")).ToArray();

        await Assert.ThrowsAsync<ArgumentException>(() => h.Client.SendAsync(new SmsMessage(SmsHarness.User, "x") { MediaUrls = media }));
        Assert.Empty(h.Twilio.Requests);
    }

    [Fact]
    public async Task SendAsync_MalformedMessagingServiceSid_ThrowsBeforeAnyCall()
    {
        await using var h = await SmsHarness.StartAsync();

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => h.Client.SendAsync(new SmsMessage(SmsHarness.User, "x") { MessagingServiceSid = "MG123" }));

        Assert.Contains("MG123", exception.Message, StringComparison.Ordinal);
        Assert.Empty(h.Twilio.Requests);
    }

    [Fact]
    public async Task SendAsync_Scheduled_SendsScheduleTypeFixedAndSendAt()
    {
        await using var h = await SmsHarness.StartAsync(o => o.MessagingServiceSid = SmsHarness.ServiceSid);
        var now = TimeProvider.System.GetUtcNow();
        var sendAt = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.FromHours(1)).AddDays(2);

        var result = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Reminder")
        {
            SendAt = sendAt,
            ShortenUrls = true,
        });

        Assert.Equal(MessageStatus.Scheduled, result.Status);
        var post = Assert.Single(h.MessagePosts);
        Assert.Equal("fixed", post.FormValue("ScheduleType"));
        Assert.Equal(sendAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), post.FormValue("SendAt"));
        Assert.Equal("true", post.FormValue("ShortenUrls"));
    }

    [Fact]
    public async Task SendAsync_ScheduledWithoutMessagingService_ThrowsBeforeAnyCall()
    {
        await using var h = await SmsHarness.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => h.Client.SendAsync(new SmsMessage(SmsHarness.User, "x") { SendAt = TimeProvider.System.GetUtcNow().AddDays(1) }));
        Assert.Empty(h.Twilio.Requests);
    }

    [Theory]
    [InlineData(null, 30003, MessageErrorCategory.Recipient)]
    [InlineData(null, 30005, MessageErrorCategory.Recipient)]
    [InlineData(null, 30007, MessageErrorCategory.ContentFiltered)]
    [InlineData("failed", 21610, MessageErrorCategory.Recipient)]
    [InlineData("failed", 21211, MessageErrorCategory.Recipient)]
    public async Task ApplyStatusCallbackAsync_FailedCallbackFromEmulator_ClassifiedLikeSynchronousError(string? finalStatus, int code, MessageErrorCategory expected)
    {
        await using var receiver = await WireServer.StartAsync(_ => new WireResponse(204));
        await using var h = await SmsHarness.StartAsync(o => o.StatusCallback = new Uri(receiver.BaseUrl, "status"));
        var sent = await h.Client.SendAsync(SmsHarness.User, "Hi");

        var deliveries = await h.Twilio.SendStatusCallbacksAsync(sent.MessageSid!, new StatusCallbackPlan
        {
            Statuses = ["queued", "sent", finalStatus ?? "undelivered"],
            ErrorCode = code,
        });
        var last = deliveries[^1];
        var category = await h.Client.ApplyStatusCallbackAsync(last.Parameter("To")!, new MessageStatus(last.Parameter("MessageStatus")!), int.Parse(last.Parameter("ErrorCode")!, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, category);
        Assert.Equal(code == 21610, await h.Suppression.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender(SmsHarness.From), SmsHarness.User));
        var fetched = await h.Client.GetAsync(sent.MessageSid!);
        Assert.Equal(code, fetched.ErrorCode);
        Assert.Equal(expected, fetched.ErrorCategory);
        Assert.True(fetched.Status.IsFailure);
    }

    [Fact]
    public async Task ApplyStatusCallbackAsync_Delivered_ReturnsNone()
    {
        await using var h = await SmsHarness.StartAsync();

        Assert.Equal(MessageErrorCategory.None, await h.Client.ApplyStatusCallbackAsync(SmsHarness.User, MessageStatus.Delivered, null));
    }

    [Fact]
    public async Task SendManyAsync_MixedRecipients_ReturnsResultsInOrderAndSkipsWithReasons()
    {
        await using var h = await SmsHarness.StartAsync();
        await h.Suppression.SuppressAsync(MessagingChannel.Sms, SuppressionScope.All, "+14155550102");
        string[] recipients = ["+14155550101", "+14155550102", "12", "+14155550103"];

        var results = await h.Client.SendManyAsync(recipients, "Sale today");

        Assert.Equal(
            [MessageSendOutcome.Accepted, MessageSendOutcome.Suppressed, MessageSendOutcome.InvalidRecipient, MessageSendOutcome.Accepted],
            results.Select(r => r.Outcome));
        Assert.Equal(["+14155550101", "+14155550102", "12", "+14155550103"], results.Select(r => r.To));
        Assert.All(results.Where(r => r.Outcome != MessageSendOutcome.Accepted), r => Assert.False(string.IsNullOrEmpty(r.ErrorMessage)));
        Assert.Equal(2, h.MessagePosts.Count);
    }

    [Fact]
    public async Task SendManyAsync_BoundedConcurrency_KeepsExactlyMaxInFlight()
    {
        var gauge = new InFlightGauge();
        await using var h = await SmsHarness.StartAsync(o => o.MaxConcurrency = 3, httpClient: b => b.AddHttpMessageHandler(() => gauge));
        h.Twilio.InjectFault("POST", "/2010-04-01/Accounts/*/Messages.json", EmulatedFault.Slow(TimeSpan.FromMilliseconds(100)), count: 12);
        var recipients = Enumerable.Range(0, 12).Select(i => $"+1415555{i + 200:D4}").ToArray();

        var results = await h.Client.SendManyAsync(recipients, "Hi");

        Assert.All(results, r => Assert.Equal(MessageSendOutcome.Accepted, r.Outcome));
        Assert.Equal(12, gauge.Total);
        Assert.Equal(3, gauge.MaxObserved);
    }

    [Fact]
    public async Task GetAsync_AfterDeliveredCallbacks_ReturnsDelivered()
    {
        await using var receiver = await WireServer.StartAsync(_ => new WireResponse(204));
        await using var h = await SmsHarness.StartAsync(o => o.StatusCallback = new Uri(receiver.BaseUrl, "status"));
        var sent = await h.Client.SendAsync(SmsHarness.User, "Hi");
        await h.Twilio.SendStatusCallbacksAsync(sent.MessageSid!);

        var fetched = await h.Client.GetAsync(sent.MessageSid!);

        Assert.Equal(MessageStatus.Delivered, fetched.Status);
        Assert.True(fetched.IsSuccess);
    }
}
