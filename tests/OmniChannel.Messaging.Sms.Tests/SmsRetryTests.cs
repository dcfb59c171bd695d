using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NSubstitute;
using OmniChannel.Messaging.Testing;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Sms.Tests;

#pragma warning disable CA2012 // NSubstitute configures and checks calls; those ValueTasks are not consumed.

/// <summary>Keyed retries report the first result whatever the policies say now; store failures and batch contract.</summary>
public sealed class SmsRetryTests
{
    [Fact]
    public async Task SendAsync_KeyedRetryAfterTheRecipientOptedOut_ReturnsTheFirstAcceptedResult()
    {
        await using var h = await SmsHarness.StartAsync();
        SmsMessage Message() => new(SmsHarness.User, "Your order shipped") { IdempotencyKey = "order-77-shipped" };
        var first = await h.Client.SendAsync(Message());
        await h.Suppression.SuppressAsync(MessagingChannel.Sms, SuppressionScope.Sender(SmsHarness.From), SmsHarness.User);

        var retry = await h.Client.SendAsync(Message());
        var fresh = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Your order shipped") { IdempotencyKey = "order-78-shipped" });

        Assert.Equal(MessageSendOutcome.Accepted, first.Outcome);
        Assert.Equal(MessageSendOutcome.Accepted, retry.Outcome);
        Assert.True(retry.IsDuplicate);
        Assert.Equal(first.MessageSid, retry.MessageSid);
        Assert.Equal(MessageSendOutcome.Suppressed, fresh.Outcome);
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_KeyedRetryWhenSendAtIsNowLessThanFifteenMinutesAway_ReturnsTheFirstResult()
    {
        var clock = new ManualTimeProvider(TimeProvider.System.GetUtcNow());
        await using var h = await SmsHarness.StartAsync(o => o.MessagingServiceSid = SmsHarness.ServiceSid, services: s => s.AddSingleton<TimeProvider>(clock));
        var sendAt = clock.GetUtcNow().AddMinutes(30);
        SmsMessage Message() => new(SmsHarness.User, "Reminder: appointment at 10") { SendAt = sendAt, IdempotencyKey = "appointment-5-reminder" };
        var first = await h.Client.SendAsync(Message());

        clock.Advance(TimeSpan.FromMinutes(20));
        var retry = await h.Client.SendAsync(Message());

        Assert.Equal(MessageSendOutcome.Accepted, first.Outcome);
        Assert.Equal(MessageStatus.Scheduled, first.Status);
        Assert.True(retry.IsDuplicate);
        Assert.Equal(first.MessageSid, retry.MessageSid);
        Assert.Single(h.MessagePosts);
        await Assert.ThrowsAsync<ArgumentException>(() => h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Reminder: appointment at 10") { SendAt = sendAt, IdempotencyKey = "appointment-6-reminder" }));
    }

    [Fact]
    public async Task SendAsync_KeyedRetryWithAnotherBodyAfterOptOut_StillThrowsMismatch()
    {
        await using var h = await SmsHarness.StartAsync();
        await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "First") { IdempotencyKey = "k-mismatch" });
        await h.Suppression.SuppressAsync(MessagingChannel.Sms, SuppressionScope.Sender(SmsHarness.From), SmsHarness.User);

        await Assert.ThrowsAsync<IdempotencyKeyMismatchException>(() => h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Second") { IdempotencyKey = "k-mismatch" }));
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_StoreFailsToCompleteAfterTwilioAccepted_ReturnsTheAcceptedResultAndLogs()
    {
        var store = Substitute.For<IMessageIdempotencyStore>();
        store.GetAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(ValueTask.FromResult<MessageIdempotencyRecord?>(null));
        store.TryReserveAsync(Arg.Any<string>(), Arg.Any<TimeSpan>(), Arg.Any<CancellationToken>()).Returns(ValueTask.FromResult<MessageIdempotencyRecord?>(null));
        store.CompleteAsync(Arg.Any<MessageIdempotencyRecord>(), Arg.Any<TimeSpan>(), Arg.Any<CancellationToken>())
            .Returns(_ => ValueTask.FromException(new InvalidOperationException("database is down")));
        var logs = new CapturingLoggerProvider();
        await using var h = await SmsHarness.StartAsync(services: s =>
        {
            s.AddSingleton(store);
            s.AddLogging(b => b.AddProvider(logs));
        });

        var result = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "store-down" });

        Assert.Equal(MessageSendOutcome.Accepted, result.Outcome);
        Assert.StartsWith("SM", result.MessageSid, StringComparison.Ordinal);
        Assert.Single(h.MessagePosts);
        await store.Received(1).CompleteAsync(Arg.Is<MessageIdempotencyRecord>(r => r.MessageSid == result.MessageSid), Arg.Any<TimeSpan>(), Arg.Any<CancellationToken>());
        await store.DidNotReceive().ReleaseAsync(Arg.Any<string>(), Arg.Any<CancellationToken>());
        Assert.Contains(logs.Lines, l => l.Contains("[2101]", StringComparison.Ordinal) && l.Contains("database is down", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_StoreFailsToReleaseAfterTwilioRefused_ReturnsTheFailureAndLogs()
    {
        var store = Substitute.For<IMessageIdempotencyStore>();
        store.GetAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(ValueTask.FromResult<MessageIdempotencyRecord?>(null));
        store.TryReserveAsync(Arg.Any<string>(), Arg.Any<TimeSpan>(), Arg.Any<CancellationToken>()).Returns(ValueTask.FromResult<MessageIdempotencyRecord?>(null));
        store.ReleaseAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(_ => ValueTask.FromException(new InvalidOperationException("database is down")));
        var logs = new CapturingLoggerProvider();
        await using var h = await SmsHarness.StartAsync(services: s =>
        {
            s.AddSingleton(store);
            s.AddLogging(b => b.AddProvider(logs));
        });

        // A synchronous 400 21211: nothing was sent, so the key is released.
        h.Twilio.InjectFault("POST", "/2010-04-01/Accounts/*/Messages.json", EmulatedFault.Error(400, 21211, "Invalid 'To' Phone Number"));
        var result = await h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "refused" });

        Assert.Equal(MessageSendOutcome.Failed, result.Outcome);
        Assert.Equal(21211, result.ErrorCode);
        await store.Received(1).ReleaseAsync(Arg.Any<string>(), Arg.Any<CancellationToken>());
        Assert.Contains(logs.Lines, l => l.Contains("[2102]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_StoreFailsToReleaseAfterCancellationBeforeTheRequestLeft_ThrowsTheCancellationAndLogs()
    {
        var store = Substitute.For<IMessageIdempotencyStore>();
        store.GetAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(ValueTask.FromResult<MessageIdempotencyRecord?>(null));
        store.TryReserveAsync(Arg.Any<string>(), Arg.Any<TimeSpan>(), Arg.Any<CancellationToken>()).Returns(ValueTask.FromResult<MessageIdempotencyRecord?>(null));
        store.ReleaseAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(_ => ValueTask.FromException(new TimeoutException("database is down")));
        var logs = new CapturingLoggerProvider();
        await using var h = await SmsHarness.StartWithTheOnlyPermitTakenAsync(services: s =>
        {
            s.AddSingleton(store);
            s.AddLogging(b => b.AddProvider(logs));
        });

        // The keyed send waits about a second for a permit and is canceled before its request leaves.
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "canceled-store-down" }, cts.Token));

        await store.Received(1).ReleaseAsync(Arg.Any<string>(), Arg.Any<CancellationToken>());
        Assert.DoesNotContain(h.MessagePosts, p => p.FormValue("To") == SmsHarness.User);
        Assert.Contains(logs.Lines, l => l.Contains("[2102]", StringComparison.Ordinal) && l.Contains("database is down", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_StoreFailsToCompleteAfterAFailureAfterTheRequestLeft_ThrowsTheOriginalAndRecordsMaybeSent()
    {
        var store = Substitute.For<IMessageIdempotencyStore>();
        store.GetAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(ValueTask.FromResult<MessageIdempotencyRecord?>(null));
        store.TryReserveAsync(Arg.Any<string>(), Arg.Any<TimeSpan>(), Arg.Any<CancellationToken>()).Returns(ValueTask.FromResult<MessageIdempotencyRecord?>(null));
        store.CompleteAsync(Arg.Any<MessageIdempotencyRecord>(), Arg.Any<TimeSpan>(), Arg.Any<CancellationToken>())
            .Returns(_ => ValueTask.FromException(new TimeoutException("database is down")));
        var logs = new CapturingLoggerProvider();
        await using var h = await SmsHarness.StartAsync(
            httpClient: b => b.AddHttpMessageHandler(() => new ThrowingHandler()),
            services: s =>
            {
                s.AddSingleton(store);
                s.AddLogging(b => b.AddProvider(logs));
            });

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Client.SendAsync(new SmsMessage(SmsHarness.User, "Hi") { IdempotencyKey = "left-store-down" }));

        Assert.Equal(ThrowingHandler.Message, exception.Message);
        await store.Received(1).CompleteAsync(
            Arg.Is<MessageIdempotencyRecord>(r => r.IsCompleted && r.Outcome == MessageSendOutcome.MaybeSent && r.To == SmsHarness.User && r.RequestFingerprint != null),
            Arg.Any<TimeSpan>(),
            Arg.Any<CancellationToken>());
        Assert.Contains(logs.Lines, l => l.Contains("[2101]", StringComparison.Ordinal) && l.Contains("database is down", StringComparison.Ordinal));
    }

    private sealed class ThrowingHandler : DelegatingHandler
    {
        public const string Message = "A handler failed after the request was handed on.";

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(Message);
    }

    [Fact]
    public async Task SendManyAsync_NullItem_ThrowsNamingTheIndexBeforeSendingAnything()
    {
        await using var h = await SmsHarness.StartAsync();

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => h.Client.SendManyAsync([new SmsMessage("+14155550101", "ok"), null!, new SmsMessage("+14155550103", "ok")]));

        Assert.Contains("index 1", exception.Message, StringComparison.Ordinal);
        Assert.Equal("messages", exception.ParamName);
        Assert.Empty(h.Twilio.Requests);
    }

    [Fact]
    public async Task SendManyAsync_RejectedItem_ResultCarriesItsIdempotencyKey()
    {
        await using var h = await SmsHarness.StartAsync();

        var results = await h.Client.SendManyAsync(
        [
            new SmsMessage("+14155550101", "ok") { IdempotencyKey = "batch-1" },
            new SmsMessage("+14155550102", "bad service") { MessagingServiceSid = "MG123", IdempotencyKey = "batch-2" },
        ]);

        Assert.Equal([MessageSendOutcome.Accepted, MessageSendOutcome.Rejected], results.Select(r => r.Outcome));
        Assert.Equal(["batch-1", "batch-2"], results.Select(r => r.IdempotencyKey));
    }

    [Fact]
    public async Task SendManyAsync_CanceledBeforeStart_EveryCanceledResultCarriesItsIdempotencyKey()
    {
        await using var h = await SmsHarness.StartAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var exception = await Assert.ThrowsAsync<MessageBatchCanceledException>(() => h.Client.SendManyAsync(
        [
            new SmsMessage("+14155550101", "a") { IdempotencyKey = "c-1" },
            new SmsMessage("+14155550102", "b") { IdempotencyKey = "c-2" },
        ], cts.Token));

        Assert.All(exception.Results, r => Assert.Equal(MessageSendOutcome.Canceled, r.Outcome));
        Assert.Equal(["c-1", "c-2"], exception.Results.Select(r => r.IdempotencyKey));
        Assert.Empty(h.MessagePosts);
    }

    [Fact]
    public async Task SendManyAsync_SendThrowsBeforeRequestLeft_FailedResultCarriesItsIdempotencyKey()
    {
        var results = await TwilioMessageSender.SendManyAsync(
            new[] { "k-boom" },
            static (_, _) => throw new InvalidOperationException("boom"),
            static _ => SmsHarness.User,
            static key => key,
            maxConcurrency: 1);

        var result = Assert.Single(results);
        Assert.Equal(MessageSendOutcome.Failed, result.Outcome);
        Assert.Equal("k-boom", result.IdempotencyKey);
    }

    [Fact]
    public async Task SendManyAsync_SendThrowsWithAHostInItsMessage_ResultNamesTheTypeButNotTheMessage()
    {
        var results = await TwilioMessageSender.SendManyAsync(
            new[] { "k-host" },
            static (_, _) => throw new HttpRequestException(HttpRequestError.Unknown, "Error while copying content to https://internal-gateway.corp.example:8443/twilio"),
            static _ => SmsHarness.User,
            static key => key,
            maxConcurrency: 1);

        var result = Assert.Single(results);
        Assert.Equal(MessageSendOutcome.Failed, result.Outcome);
        Assert.Contains("HttpRequestException (Unknown)", result.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("internal-gateway", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendManyAsync_ItemFetchesAMessageThenThrows_FailsAsNotSent()
    {
        await using var h = await SmsHarness.StartAsync();
        var sent = await h.Client.SendAsync(SmsHarness.User, "Hi");

        // A GET is no send: it must not mark the item as "its request left".
        var results = await TwilioMessageSender.SendManyAsync(
            new[] { "k-fetch" },
            async (_, ct) =>
            {
                await h.Client.GetAsync(sent.MessageSid!, ct);
                throw new InvalidOperationException("the item failed after a fetch");
            },
            static _ => SmsHarness.User,
            static key => key,
            maxConcurrency: 1);

        var result = Assert.Single(results);
        Assert.Equal(MessageSendOutcome.Failed, result.Outcome);
        Assert.Contains("nothing was sent", result.ErrorMessage, StringComparison.Ordinal);
    }
}
