using System.Net;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Testing;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Sms.Tests;

/// <summary>Idempotency under unknown outcomes, cancellation and reuse; batch contract; request rules.</summary>
public sealed class SmsSendSafetyTests
{
    private const string MessagesPath = "/2010-04-01/Accounts/*/Messages.json";

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task SendAsync_IdempotencyKeyAfterServerError_KeepsKeyAndNeverSendsTwice(int status)
    {
        await using var h = await SmsHarness.StartAsync();
        h.Twilio.InjectFault("POST", MessagesPath, EmulatedFault.ServerError(status));

        var first = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-5xx" });
        var second = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-5xx" });

        Assert.Equal(MessageSendOutcome.MaybeSent, first.Outcome);
        Assert.Equal((HttpStatusCode)status, first.HttpStatus);
        Assert.Equal(MessageSendOutcome.MaybeSent, second.Outcome);
        Assert.True(second.IsDuplicate);
        Assert.Equal((HttpStatusCode)status, second.HttpStatus);
        Assert.Contains("may have been sent", second.ErrorMessage, StringComparison.Ordinal);
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_IdempotencyKeyAfter429_ReleasesKeySoTheRetrySends()
    {
        await using var h = await SmsHarness.StartAsync(transport: o => o.Retry.MaxAttempts = 1);
        h.Twilio.InjectFault("POST", MessagesPath, EmulatedFault.TooManyRequests());

        var first = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-429" });
        var second = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-429" });

        Assert.Equal(MessageSendOutcome.Failed, first.Outcome);
        Assert.Equal(HttpStatusCode.TooManyRequests, first.HttpStatus);
        Assert.True(first.IsRetryable);
        Assert.Equal(MessageSendOutcome.Accepted, second.Outcome);
        Assert.False(second.IsDuplicate);
        Assert.Equal(2, h.MessagePosts.Count);
    }

    [Fact]
    public async Task SendAsync_CanceledWhileWaitingForRatePermit_ReleasesKeyAndSendsNothing()
    {
        await using var h = await SmsHarness.StartWithTheOnlyPermitTakenAsync();

        // The next permit goes to this send, so the keyed one below waits at least two refills (2 s) before it could leave.
        var queuedAhead = h.Client.SendAsync("+14155550102", "queued first");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-queued" }, cts.Token));
        Assert.Equal(MessageSendOutcome.Accepted, (await queuedAhead).Outcome);
        Assert.DoesNotContain(h.MessagePosts, p => p.FormValue("To") == SmsHarness.User);
        var retry = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-queued" });

        Assert.Equal(MessageSendOutcome.Accepted, retry.Outcome);
        Assert.False(retry.IsDuplicate);
        Assert.Single(h.MessagePosts, p => p.FormValue("To") == SmsHarness.User);
    }

    [Fact]
    public async Task SendAsync_CanceledDuringTheRetryDelayAfter429_ReleasesKey()
    {
        await using var h = await SmsHarness.StartAsync(transport: o =>
        {
            o.Retry.MaxAttempts = 3;
            o.Retry.MaxRetryAfter = TimeSpan.FromMinutes(1);
        });
        h.Twilio.InjectFault("POST", MessagesPath, EmulatedFault.TooManyRequests(TimeSpan.FromSeconds(30)));
        using var cts = new CancellationTokenSource();

        var send = h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-throttled" }, cts.Token);
        await WaitForPostsAsync(h, 1);
        await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        var retry = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-throttled" });

        Assert.Equal(MessageSendOutcome.Accepted, retry.Outcome);
        Assert.False(retry.IsDuplicate);
        Assert.Equal(2, h.MessagePosts.Count);
    }

    [Fact]
    public async Task SendAsync_TotalTimeoutWhileWaitingForRatePermit_FailsAsNotSentAndReleasesKey()
    {
        await using var h = await SmsHarness.StartWithTheOnlyPermitTakenAsync(o =>
        {
            o.AttemptTimeout = TimeSpan.FromMilliseconds(300);
            o.TotalTimeout = TimeSpan.FromMilliseconds(300);
        });

        // The next permit comes a second later, after the 300 ms total timeout: the request never leaves.
        var first = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-permit-timeout" });
        Assert.DoesNotContain(h.MessagePosts, p => p.FormValue("To") == SmsHarness.User);
        await Task.Delay(TimeSpan.FromSeconds(1.2), TimeProvider.System);
        var retry = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-permit-timeout" });

        Assert.Equal(MessageSendOutcome.Failed, first.Outcome);
        Assert.True(first.IsRetryable);
        Assert.Contains("nothing was sent", first.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(MessageSendOutcome.Accepted, retry.Outcome);
        Assert.False(retry.IsDuplicate);
        Assert.Single(h.MessagePosts, p => p.FormValue("To") == SmsHarness.User);
    }

    [Fact]
    public async Task SendAsync_TotalTimeoutDuringTheRetryDelayAfter429_FailsAsNotSentAndReleasesKey()
    {
        await using var h = await SmsHarness.StartAsync(transport: o =>
        {
            o.Retry.MaxAttempts = 3;
            o.Retry.MaxRetryAfter = TimeSpan.FromMinutes(1);
            o.AttemptTimeout = TimeSpan.FromMilliseconds(500);
            o.TotalTimeout = TimeSpan.FromMilliseconds(500);
        });
        h.Twilio.InjectFault("POST", MessagesPath, EmulatedFault.TooManyRequests(TimeSpan.FromSeconds(30)));

        var first = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-throttled-timeout" });
        var retry = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-throttled-timeout" });

        Assert.Equal(MessageSendOutcome.Failed, first.Outcome);
        Assert.True(first.IsRetryable);
        Assert.Contains("nothing was sent", first.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(MessageSendOutcome.Accepted, retry.Outcome);
        Assert.False(retry.IsDuplicate);
        Assert.Equal(2, h.MessagePosts.Count);
    }

    [Fact]
    public async Task SendAsync_CanceledAfterRequestLeft_KeepsKeyAsMaybeSent()
    {
        await using var h = await SmsHarness.StartAsync();
        h.Twilio.InjectFault("POST", MessagesPath, EmulatedFault.Slow(TimeSpan.FromSeconds(30)));
        using var cts = new CancellationTokenSource();

        var send = h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-left" }, cts.Token);
        await WaitForPostsAsync(h, 1);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        var retry = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-left" });

        Assert.Equal(MessageSendOutcome.MaybeSent, retry.Outcome);
        Assert.True(retry.IsDuplicate);
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_UnexpectedExceptionAfterRequestLeft_RecordsMaybeSentInsteadOfAPendingKey()
    {
        await using var h = await SmsHarness.StartAsync(
            o => o.IdempotencyWaitTimeout = TimeSpan.FromMinutes(10),
            httpClient: b => b.AddHttpMessageHandler(() => new ThrowingHandler()));

        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-boom" }));
        var retry = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-boom" }).WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);

        Assert.Equal(MessageSendOutcome.MaybeSent, retry.Outcome);
        Assert.True(retry.IsDuplicate);
        Assert.Contains("InvalidOperationException", retry.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("+14155550177", "Hi")]
    [InlineData(SmsHarness.User, "Hello")]
    public async Task SendAsync_IdempotencyKeyReusedForAnotherRequest_ThrowsAndSendsNothing(string to, string body)
    {
        await using var h = await SmsHarness.StartAsync();
        var first = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "order-reuse" });

        var exception = await Assert.ThrowsAsync<IdempotencyKeyMismatchException>(() => h.Client.SendAsync(new SmsMessage(to, body) { IdempotencyKey = "order-reuse" }));

        Assert.Equal("order-reuse", exception.IdempotencyKey);
        Assert.Equal(first.MessageSid, exception.FirstMessageSid);
        Assert.Contains("different request", exception.Message, StringComparison.Ordinal);
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_SameRequestAgain_DuplicateCarriesTheFirstResultsFields()
    {
        await using var h = await SmsHarness.StartAsync();
        var body = new string('a', 200);

        var first = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, body) { IdempotencyKey = "order-fields" });
        var second = await h.Client.SendAsync(new SmsMessage("+1 415 555 0100", body) { IdempotencyKey = "order-fields" });

        Assert.True(second.IsDuplicate);
        Assert.Equal(first.MessageSid, second.MessageSid);
        Assert.Equal(first.Status, second.Status);
        Assert.NotNull(first.Segments);
        Assert.Equal(first.Segments, second.Segments);
        Assert.Equal(first.Price, second.Price);
        Assert.Equal(first.ErrorCode, second.ErrorCode);
        Assert.Equal(HttpStatusCode.Created, first.HttpStatus);
        Assert.Equal(HttpStatusCode.Created, second.HttpStatus);
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task GetAsync_ReportsTheActualStatus200()
    {
        await using var h = await SmsHarness.StartAsync();
        var sent = await h.Client.SendAsync(SmsHarness.User, "Hi");

        var fetched = await h.Client.GetAsync(sent.MessageSid!);

        Assert.Equal(HttpStatusCode.Created, sent.HttpStatus);
        Assert.Equal(HttpStatusCode.OK, fetched.HttpStatus);
    }

    [Theory]
    [InlineData("whatsapp:+14155550100")]
    [InlineData("WhatsApp:+14155550100")]
    [InlineData("messenger:1234567")]
    public async Task SendAsync_ChannelAddressRecipient_ThrowsBeforeAnyCall(string to)
    {
        await using var h = await SmsHarness.StartAsync();

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => h.Client.SendAsync(to, "Hi"));

        Assert.Contains("SMS only", exception.Message, StringComparison.Ordinal);
        Assert.Empty(h.Twilio.Requests);
    }

    [Theory]
    [InlineData("sms:+14155550100")]
    [InlineData("tel:+14155550100")]
    [InlineData("SMS:+1 415 555 0100")]
    [InlineData("tel: +14155550100")]
    public async Task SendAsync_SmsOrTelPrefixedRecipient_SendsToTheE164Number(string to)
    {
        await using var h = await SmsHarness.StartAsync();

        var result = await h.Client.SendAsync(to, "Hi");

        Assert.Equal(MessageSendOutcome.Accepted, result.Outcome);
        Assert.Equal(SmsHarness.User, Assert.Single(h.MessagePosts).FormValue("To"));
    }

    [Theory]
    [InlineData("not a sender!")]
    [InlineData("+1 415 555")]
    [InlineData("TooLongSenderId1")]
    public async Task SendAsync_UnreadableExplicitFrom_ThrowsNamingTheSenderBeforeAnyCall(string from)
    {
        await using var h = await SmsHarness.StartAsync();

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { From = from }));

        Assert.Contains($"'{from}'", exception.Message, StringComparison.Ordinal);
        Assert.Equal("message", exception.ParamName);
        Assert.Empty(h.Twilio.Requests);
    }

    [Fact]
    public async Task SendAsync_ExplicitFrom_IsNormalizedByTheRegisteredNormalizer()
    {
        IPhoneNumberNormalizer normalizer = new CrmSenderNormalizer();
        await using var h = await SmsHarness.StartAsync(services: s => s.AddSingleton(normalizer));

        var result = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { From = "sender-from-crm" });

        Assert.Equal(MessageSendOutcome.Accepted, result.Outcome);
        Assert.Equal("+14155559999", Assert.Single(h.MessagePosts).FormValue("From"));
    }

    [Fact]
    public async Task SendAsync_NationalFromWithDefaultRegion_SendsAndSuppressesUnderE164()
    {
        await using var h = await SmsHarness.StartAsync(o =>
        {
            o.From = "(415) 555-1234";
            o.DefaultRegion = "US";
        });
        await h.Suppression.SuppressAsync(MessagingChannel.Sms, SuppressionScope.Sender(SmsHarness.From), "+14155550102");

        var sent = await h.Client.SendAsync("+14155550101", "Hi");
        var suppressed = await h.Client.SendAsync("+14155550102", "Hi");

        Assert.Equal(MessageSendOutcome.Accepted, sent.Outcome);
        Assert.Equal(SmsHarness.From, Assert.Single(h.MessagePosts).FormValue("From"));
        Assert.Equal(MessageSendOutcome.Suppressed, suppressed.Outcome);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(36 * 24 * 60)]
    public async Task SendAsync_SendAtOutsideTwiliosWindow_ThrowsBeforeAnyCall(int minutesAhead)
    {
        await using var h = await SmsHarness.StartAsync(o => o.MessagingServiceSid = SmsHarness.ServiceSid);

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => h.Client.SendAsync(new SmsMessage(SmsHarness.User, "x")
        {
            SendAt = TimeProvider.System.GetUtcNow().AddMinutes(minutesAhead),
        }));

        Assert.Contains("15 minutes and 35 days", exception.Message, StringComparison.Ordinal);
        Assert.Empty(h.Twilio.Requests);
    }

    [Fact]
    public async Task ApplyStatusCallbackAsync_21610ForAPerMessageSender_SuppressesUnderThatSender()
    {
        await using var receiver = await WireServer.StartAsync(_ => new WireResponse(204));
        await using var h = await SmsHarness.StartAsync(o => o.StatusCallback = new Uri(receiver.BaseUrl, "status"));
        var sent = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { From = "+14155559999" });

        var deliveries = await h.Twilio.SendStatusCallbacksAsync(sent.MessageSid!, new StatusCallbackPlan { Statuses = ["queued", "failed"], ErrorCode = 21610 });
        var last = deliveries[^1];
        await h.Client.ApplyStatusCallbackAsync(last.Parameter("To")!, new MessageStatus(last.Parameter("MessageStatus")!), 21610, last.Parameter("From"), last.Parameter("MessagingServiceSid"));

        Assert.Equal("+14155559999", last.Parameter("From"));
        Assert.True(await h.Suppression.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender("+14155559999"), SmsHarness.User));
        Assert.False(await h.Suppression.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender(SmsHarness.From), SmsHarness.User));
    }

    [Fact]
    public async Task SendManyAsync_BadItemsAmongGoodOnes_RejectsThemAndSendsTheRest()
    {
        await using var h = await SmsHarness.StartAsync();
        SmsMessage[] batch =
        [
            new("+14155550101", "ok 1"),
            new("+14155550102", "bad service") { MessagingServiceSid = "MG123" },
            new("+14155550103", new string('x', 1_601)),
            new("whatsapp:+14155550104", "wrong channel"),
            new("+14155550105", "ok 2"),
        ];

        var results = await h.Client.SendManyAsync(batch);

        Assert.Equal(
            [MessageSendOutcome.Accepted, MessageSendOutcome.Rejected, MessageSendOutcome.Rejected, MessageSendOutcome.Rejected, MessageSendOutcome.Accepted],
            results.Select(r => r.Outcome));
        Assert.Contains("MG123", results[1].ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("1,600", results[2].ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("whatsapp", results[3].ErrorMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["+14155550101", "+14155550105"], h.MessagePosts.Select(p => p.FormValue("To")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SendManyAsync_KeyReusedWithinBatch_RejectsTheSecondRequest()
    {
        await using var h = await SmsHarness.StartAsync(o => o.MaxConcurrency = 1);

        var results = await h.Client.SendManyAsync(
        [
            new SmsMessage("+14155550101", "Hi") { IdempotencyKey = "k" },
            new SmsMessage("+14155550102", "Hi") { IdempotencyKey = "k" },
        ]);

        Assert.Equal(MessageSendOutcome.Accepted, results[0].Outcome);
        Assert.Equal(MessageSendOutcome.Rejected, results[1].Outcome);
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendManyAsync_CanceledMidway_ThrowsWithResultsThatTellWhoGotAMessage()
    {
        await using var h = await SmsHarness.StartAsync(o => o.MaxConcurrency = 2);
        h.Twilio.InjectFault("POST", MessagesPath, EmulatedFault.Slow(TimeSpan.FromMilliseconds(300)), count: 50);
        var recipients = Enumerable.Range(0, 20).Select(i => $"+1415555{i + 300:D4}").ToArray();
        using var cts = new CancellationTokenSource();

        var batch = h.Client.SendManyAsync(recipients, "Hi", cts.Token);
        await WaitForPostsAsync(h, 3);
        await cts.CancelAsync();
        var exception = await Assert.ThrowsAsync<MessageBatchCanceledException>(() => batch);

        Assert.IsAssignableFrom<OperationCanceledException>(exception);
        Assert.Equal(recipients, exception.Results.Select(r => r.To));
        var posted = h.MessagePosts.Select(p => p.FormValue("To")).ToHashSet(StringComparer.Ordinal);
        foreach (var result in exception.Results)
        {
            switch (result.Outcome)
            {
                case MessageSendOutcome.Accepted:
                case MessageSendOutcome.MaybeSent:
                    Assert.Contains(result.To, posted);
                    break;
                case MessageSendOutcome.Canceled:
                    Assert.DoesNotContain(result.To, posted);
                    break;
                default:
                    Assert.Fail($"Unexpected outcome {result}");
                    break;
            }
        }

        Assert.Contains(exception.Results, r => r.Outcome == MessageSendOutcome.Canceled);
        Assert.Contains(exception.Results, r => r.Outcome == MessageSendOutcome.MaybeSent);
        Assert.True(exception.Results.Count(r => r.Outcome == MessageSendOutcome.MaybeSent) <= 2);
        Assert.Equal(posted.Count, exception.Results.Count(r => r.Outcome is MessageSendOutcome.Accepted or MessageSendOutcome.MaybeSent));
    }

    [Theory]
    [InlineData("undelivered", 21614, MessageErrorCategory.Recipient)]
    [InlineData("failed", 21606, MessageErrorCategory.SenderConfiguration)]
    [InlineData("failed", 63018, MessageErrorCategory.Retryable)]
    public async Task ApplyStatusCallbackAsync_MoreFailedCallbacksFromEmulator_ClassifiedLikeSynchronousError(string finalStatus, int code, MessageErrorCategory expected)
    {
        await using var receiver = await WireServer.StartAsync(_ => new WireResponse(204));
        await using var h = await SmsHarness.StartAsync(o => o.StatusCallback = new Uri(receiver.BaseUrl, "status"));
        var sent = await h.Client.SendAsync(SmsHarness.User, "Hi");

        var deliveries = await h.Twilio.SendStatusCallbacksAsync(sent.MessageSid!, new StatusCallbackPlan { Statuses = ["queued", finalStatus], ErrorCode = code });
        var last = deliveries[^1];
        var category = await h.Client.ApplyStatusCallbackAsync(
            last.Parameter("To")!, new MessageStatus(last.Parameter("MessageStatus")!), int.Parse(last.Parameter("ErrorCode")!, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, category);
        var fetched = await h.Client.GetAsync(sent.MessageSid!);
        Assert.Equal(code, fetched.ErrorCode);
        Assert.Equal(expected, fetched.ErrorCategory);
    }

    [Fact]
    public async Task SendAsync_Synchronous63018_IsRetryableWithAWaitHint()
    {
        await using var h = await SmsHarness.StartAsync();
        h.Twilio.InjectFault("POST", MessagesPath, EmulatedFault.Error(400, 63018, "Rate limit exceeded for the channel"));

        var result = await h.Client.SendAsync(SmsHarness.User, "Hi");

        Assert.Equal(MessageSendOutcome.Failed, result.Outcome);
        Assert.True(result.IsRetryable);
        Assert.Equal(TimeSpan.FromSeconds(1), result.RetryAfter);
    }

    private static async Task WaitForPostsAsync(SmsHarness h, int count)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (h.MessagePosts.Count < count)
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(30), $"Only {h.MessagePosts.Count} posts arrived.");
            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System);
        }
    }

    private sealed class ThrowingHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("A handler failed after the request was handed on.");
    }

    /// <summary>The built-in normalizer, plus one sender name a CRM uses for a number.</summary>
    private sealed class CrmSenderNormalizer : IPhoneNumberNormalizer
    {
        public bool TryNormalize(string? input, string? defaultRegion, PhoneNumberParseOptions options, out PhoneNumber number, [NotNullWhen(false)] out PhoneNumberParseError? failure)
        {
            if (input == "sender-from-crm")
            {
                number = PhoneNumber.Parse("+14155559999");
                failure = null;
                return true;
            }

            return PhoneNumberNormalizer.Default.TryNormalize(input, defaultRegion, options, out number, out failure);
        }
    }
}
