using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OmniChannel.Messaging.AspNetCore.Internal;
using OmniChannel.Messaging.Testing;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.AspNetCore.Tests.Webhooks;

/// <summary>The webhook pipeline with a shared outbox registered: stored before the answer, claimed, completed, given back.</summary>
public sealed class OutboxPipelineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Outbox_InboundStatusAndConversationWebhooks_HandledOnceAndOutboxEmptied()
    {
        ObservedOutbox? outbox = null;
        await using var host = await WebhookHost.StartAsync(configureBuilder: b => UseOutbox(b, o => outbox = o));
        var sid = await host.SendThroughEmulatorAsync("+14155550111");
        var conversationSid = "CH" + Guid.NewGuid().ToString("N");

        var inbound = await host.Twilio.DeliverInboundMessageAsync("+14155550112", "+14155550100", "hello", webhookUrl: host.Url("twilio/messages"));
        var statuses = await host.Twilio.SendStatusCallbacksAsync(sid);
        using var conversation = await host.PostSignedFormAsync("twilio/conversations", ConversationForm(host, conversationSid, 0));

        Assert.Equal(200, inbound.StatusCode);
        Assert.Equal([204, 204, 204], statuses.Select(d => d.StatusCode));
        Assert.Equal(HttpStatusCode.OK, conversation.StatusCode);
        await host.Recorder.WaitForAsync<InboundMessage>(1, Timeout);
        await host.Recorder.WaitForAsync<StatusCallback>(3, Timeout);
        await host.Recorder.WaitForAsync<ConversationEvent>(1, Timeout);
        await WaitUntilAsync(() => outbox!.Inner.Count == 0, "outbox emptied");
        Assert.Equal(5, outbox!.Stored);
        Assert.Equal(5, outbox.Completed);
        Assert.Equal("hello", Assert.Single(host.Recorder.Of<InboundMessage>()).Body);
        Assert.Equal(["delivered", "queued", "sent"], host.Recorder.Of<StatusCallback>().Select(c => c.Status.Value).Order(StringComparer.Ordinal));
        Assert.Equal(conversationSid, Assert.Single(host.Recorder.Of<ConversationEvent>()).ConversationSid);
        Assert.Equal(MessageStatus.Delivered, (await host.Services.GetRequiredService<IMessageStatusStore>().GetAsync(sid))!.Value.Status);
    }

    [Fact]
    public async Task Outbox_DuplicateDeliveriesSequentialAndConcurrent_OneEntryHandledOnceRepeatsAnswered200()
    {
        await using var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { DeliveriesPerWebhook = 3 });
        ObservedOutbox? outbox = null;
        await using var host = await WebhookHost.StartAsync(configureBuilder: b => UseOutbox(b, o => outbox = o), twilio: twilio);
        var sid = await host.SendThroughEmulatorAsync("+14155550111");

        // Each delivery is 3 concurrent copies sharing one idempotency token; Duplicate sends every status twice more.
        var inbound = await twilio.DeliverInboundMessageAsync("+14155550112", "+14155550100", "once", webhookUrl: host.Url("twilio/messages"));
        var statuses = await twilio.SendStatusCallbacksAsync(sid, new StatusCallbackPlan { Duplicate = true });

        Assert.Equal([200, 200, 200], inbound.StatusCodes);
        var statusCodes = statuses.SelectMany(d => d.StatusCodes).ToList();
        Assert.Equal(18, statusCodes.Count);
        Assert.Equal(3, statusCodes.Count(c => c == 204));
        Assert.Equal(15, statusCodes.Count(c => c == 200));
        await host.Recorder.WaitForAsync<InboundMessage>(1, Timeout);
        await host.Recorder.WaitForAsync<StatusCallback>(3, Timeout);
        await WaitUntilAsync(() => outbox!.Inner.Count == 0 && outbox.Completed == 4, "outbox emptied");
        Assert.Equal(4, outbox!.Stored);
        Assert.Equal(17, outbox.Repeats);
        Assert.Equal(17, host.Services.GetRequiredService<WebhookMetrics>().Duplicates);
        Assert.Single(host.Recorder.Of<InboundMessage>());
        Assert.Equal(["delivered", "queued", "sent"], host.Recorder.Of<StatusCallback>().Select(c => c.Status.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Outbox_EnqueueThrows_Answered503WithRetryAfterNotHandled_AndTheRetryIsHandledOnce()
    {
        ObservedOutbox? outbox = null;
        await using var host = await WebhookHost.StartAsync(o => o.RetryAfter = TimeSpan.FromSeconds(7), b => UseOutbox(b, o => outbox = o));
        outbox!.FailEnqueue = true;
        var inboundForm = WebhookHost.InboundForm(host.Twilio.AccountSid, body: "after the outage");
        var statusForm = new List<KeyValuePair<string, string>> { new("MessageSid", "SM" + Guid.NewGuid().ToString("N")), new("AccountSid", host.Twilio.AccountSid), new("MessageStatus", "sent") };
        static void InboundToken(HttpRequestMessage r) => r.Headers.Add("I-Twilio-Idempotency-Token", "inbound-retry");
        static void StatusToken(HttpRequestMessage r) => r.Headers.Add("I-Twilio-Idempotency-Token", "status-retry");

        using var inboundDown = await host.PostSignedFormAsync("twilio/messages", inboundForm, adjust: InboundToken);
        using var statusDown = await host.PostSignedFormAsync("twilio/status", statusForm, adjust: StatusToken);
        outbox.FailEnqueue = false;
        using var inboundBack = await host.PostSignedFormAsync("twilio/messages", inboundForm, adjust: InboundToken);
        using var statusBack = await host.PostSignedFormAsync("twilio/status", statusForm, adjust: StatusToken);
        using var inboundAgain = await host.PostSignedFormAsync("twilio/messages", inboundForm, adjust: InboundToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, inboundDown.StatusCode);
        Assert.Equal("7", inboundDown.Headers.GetValues("Retry-After").Single());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, statusDown.StatusCode);
        Assert.Equal("7", statusDown.Headers.GetValues("Retry-After").Single());
        Assert.Equal(2, host.Logs.Lines.Count(l => l.Contains("[7011]", StringComparison.Ordinal) && l.Contains("outbox unreachable", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.OK, inboundBack.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, statusBack.StatusCode);
        Assert.Equal(HttpStatusCode.OK, inboundAgain.StatusCode);
        await host.Recorder.WaitForAsync<InboundMessage>(1, Timeout);
        await host.Recorder.WaitForAsync<StatusCallback>(1, Timeout);
        await WaitUntilAsync(() => outbox.Inner.Count == 0 && outbox.Completed == 2, "outbox emptied");
        Assert.Equal(2, outbox.Stored);
        Assert.Equal("after the outage", Assert.Single(host.Recorder.Of<InboundMessage>()).Body);
        Assert.Single(host.Recorder.Of<StatusCallback>());
    }

    [Fact]
    public async Task Outbox_Stop_SuppressedBeforeTheAnswerThenStoredAndHandled()
    {
        ObservedOutbox? outbox = null;
        await using var host = await WebhookHost.StartAsync(configureBuilder: b => UseOutbox(b, o => outbox = o));
        var suppression = host.Services.GetRequiredService<ISuppressionList>();

        var stop = await host.Twilio.DeliverInboundMessageAsync("+14155550111", "+14155550100", "STOP", webhookUrl: host.Url("twilio/messages"));

        // Checked right after the answer: a send to the number now is stopped, whether or not the worker ran yet.
        Assert.Equal(200, stop.StatusCode);
        Assert.True(await suppression.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender("+14155550100"), "+14155550111"));
        Assert.False(await suppression.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender("+14155550199"), "+14155550111"));
        Assert.Equal(1, outbox!.Stored);
        await host.Recorder.WaitForAsync<InboundMessage>(1, Timeout);
        await WaitUntilAsync(() => outbox.Inner.Count == 0, "outbox emptied");
        var handled = Assert.Single(host.Recorder.Of<InboundMessage>());
        Assert.Equal("STOP", handled.Body);
        Assert.Equal(OptOutIntent.OptOut, handled.Keyword.Intent);
    }

    [Fact]
    public async Task Outbox_WebhookStoredByAnotherInstance_PickedUpByThePollAndItsTwilioRetryHereIsARepeat()
    {
        await using var host = await WebhookHost.StartAsync(o => o.OutboxPollInterval = TimeSpan.FromMilliseconds(50), b => UseOutbox(b));
        var outbox = host.Services.GetRequiredService<IWebhookOutbox>();
        var form = WebhookHost.InboundForm(host.Twilio.AccountSid, from: "+14155550123", body: "via instance B");
        const string token = "delivered-to-instance-b";

        // What instance B's receiver stores: the same kind, partition, parameters and dedupe key this receiver would.
        var stored = await outbox.TryEnqueueAsync(QueuedFromAnotherInstance(form, token), TimeSpan.FromHours(1));
        using var retryHere = await host.PostSignedFormAsync("twilio/messages", form, adjust: r => r.Headers.Add("I-Twilio-Idempotency-Token", token));

        Assert.True(stored);
        Assert.Equal(HttpStatusCode.OK, retryHere.StatusCode);
        await host.Recorder.WaitForAsync<InboundMessage>(1, Timeout);
        await WaitUntilAsync(() => ((ObservedOutbox)outbox).Inner.Count == 0, "outbox emptied");
        var message = Assert.Single(host.Recorder.Of<InboundMessage>());
        Assert.Equal("via instance B", message.Body);
        Assert.Equal("+14155550123", message.From);
        Assert.Equal(form[0].Value, message.MessageSid);
        Assert.Equal(1, ((ObservedOutbox)outbox).Repeats);
    }

    [Fact]
    public async Task Outbox_ClaimsFailForAWhile_PumpLogsBacksOffAndPicksTheWorkUpOnceTheStoreIsBack()
    {
        ObservedOutbox? outbox = null;
        await using var host = await WebhookHost.StartAsync(o => o.OutboxPollInterval = TimeSpan.FromMilliseconds(20), b => UseOutbox(b, o => outbox = o));
        outbox!.FailClaim = true;

        var delivery = await host.Twilio.DeliverInboundMessageAsync("+14155550131", "+14155550100", "while the store is down", webhookUrl: host.Url("twilio/messages"));
        await WaitUntilAsync(() => outbox.FailedClaims >= 3, "several failed claims");

        Assert.Equal(200, delivery.StatusCode);
        Assert.Empty(host.Recorder.Of<InboundMessage>());
        Assert.Contains(host.Logs.Lines, l => l.Contains("[7013]", StringComparison.Ordinal));
        Assert.True(host.Services.GetRequiredService<WebhookOutboxPump>().IsRunning);

        outbox.FailClaim = false;

        await host.Recorder.WaitForAsync<InboundMessage>(1, Timeout);
        await WaitUntilAsync(() => outbox.Inner.Count == 0, "outbox emptied");
        Assert.Equal("while the store is down", Assert.Single(host.Recorder.Of<InboundMessage>()).Body);
    }

    [Fact]
    public async Task Outbox_LeaseOfADeadWorkerExpires_WebhookReclaimedAndHandledOnce()
    {
        var time = new ManualTimeProvider();
        var outbox = new ObservedOutbox(new InMemoryWebhookOutbox(new InMemoryWebhookDedupeStore(time), time));
        var form = WebhookHost.InboundForm("AC0123456789abcdef0123456789abcdef", from: "+14155550124", body: "orphaned");
        Assert.True(await outbox.TryEnqueueAsync(QueuedFromAnotherInstance(form, "dead-instance"), TimeSpan.FromHours(1)));
        var taken = Assert.Single(await outbox.ClaimAsync(10, TimeSpan.FromMinutes(5)));
        Assert.Equal(1, taken.Attempt);

        // The instance that claimed it is gone; this one starts and must wait for the lease to end.
        await using var host = await WebhookHost.StartAsync(
            o => o.OutboxPollInterval = TimeSpan.FromSeconds(1),
            b => b.Services.AddSingleton<TimeProvider>(time).AddSingleton<IWebhookOutbox>(outbox));
        await WaitUntilAsync(() => time.HasTimerDueAt(time.GetUtcNow() + TimeSpan.FromSeconds(1)), "pump waiting");
        Assert.Empty(host.Recorder.Items);
        Assert.Equal(1, outbox.Claimed);

        time.Advance(TimeSpan.FromMinutes(5));
        await WaitUntilAsync(() => host.Recorder.Items.Count > 0, "re-claimed webhook handled", tick: () => time.Advance(TimeSpan.FromSeconds(1)));
        await WaitUntilAsync(() => outbox.Inner.Count == 0, "outbox emptied");

        Assert.Equal("orphaned", Assert.Single(host.Recorder.Of<InboundMessage>()).Body);
        Assert.Equal(2, outbox.Claimed);
        Assert.Equal(1, outbox.Completed);
    }

    [Fact]
    public async Task Outbox_WebhookClaimedMaxAttemptsTimes_DroppedWithErrorLogNotHandled()
    {
        var time = new ManualTimeProvider();
        var outbox = new ObservedOutbox(new InMemoryWebhookOutbox(new InMemoryWebhookDedupeStore(time), time));
        const string account = "AC0123456789abcdef0123456789abcdef";
        Assert.True(await outbox.TryEnqueueAsync(QueuedFromAnotherInstance(WebhookHost.InboundForm(account, from: "+14155550125", body: "poison"), "poison"), TimeSpan.FromHours(1)));
        for (var i = 0; i < 3; i++)
        {
            // Three workers claimed it in turn and died with it.
            Assert.Single(await outbox.ClaimAsync(10, TimeSpan.FromMinutes(1)));
            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.True(await outbox.TryEnqueueAsync(QueuedFromAnotherInstance(WebhookHost.InboundForm(account, from: "+14155550126", body: "healthy"), "healthy"), TimeSpan.FromHours(1)));

        await using var host = await WebhookHost.StartAsync(
            o => o.OutboxMaxAttempts = 3,
            b => b.Services.AddSingleton<TimeProvider>(time).AddSingleton<IWebhookOutbox>(outbox));
        await host.Recorder.WaitForAsync<InboundMessage>(1, Timeout);
        await WaitUntilAsync(() => outbox.Inner.Count == 0 && outbox.Completed == 2, "both removed");

        Assert.Equal("healthy", Assert.Single(host.Recorder.Of<InboundMessage>()).Body);
        var log = Assert.Single(host.Logs.Lines, l => l.Contains("[7014]", StringComparison.Ordinal));
        Assert.StartsWith("Error", log, StringComparison.Ordinal);
        Assert.Contains("claimed 3 times", log, StringComparison.Ordinal);
        Assert.Equal(1, host.Services.GetRequiredService<WebhookMetrics>().GivenUp);
    }

    [Fact]
    public async Task Outbox_ShutdownWhileAHandlerBlocks_RunningAndWaitingWebhooksGivenBackAndClaimable()
    {
        ObservedOutbox? outbox = null;
        var blocking = new BlockingInboundHandler();
        var host = await WebhookHost.StartAsync(
            o => o.WorkerConcurrency = 3,
            b => UseOutbox(b, o => outbox = o).AddSingleton<IInboundMessageHandler>(blocking));
        try
        {
            // Three senders whose webhooks share one lane (as WebhookQueue picks it): one runs, two are claimed but wait.
            var senders = Enumerable.Range(100, 900).Select(i => "+14155550" + i.ToString(CultureInfo.InvariantCulture))
                .GroupBy(from => (uint)StringComparer.Ordinal.GetHashCode(from) % 3u)
                .First(g => g.Count() >= 3)
                .Take(3);
            foreach (var from in senders)
            {
                using var response = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid, from: from));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            await WaitUntilAsync(() => outbox!.Claimed == 3 && blocking.Started == 1, "webhooks claimed and one handler running");

            using var shortShutdown = new CancellationTokenSource(TimeSpan.FromMilliseconds(200), TimeProvider.System);
            await host.App.StopAsync(shortShutdown.Token);
            await WaitUntilAsync(() => outbox!.Abandoned == 3, "claimed webhooks given back");

            Assert.Equal(0, outbox!.Completed);
            Assert.Equal(3, outbox.Inner.Count);
            Assert.Equal(1, blocking.Started);
            Assert.Equal(0, blocking.Finished);
            var reclaimed = await outbox.Inner.ClaimAsync(10, TimeSpan.FromMinutes(1));
            Assert.Equal(3, reclaimed.Count);
            Assert.All(reclaimed, w => Assert.Equal(2, w.Attempt));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Outbox_InboundFromOneSender_HandledInArrivalOrder()
    {
        await using var host = await WebhookHost.StartAsync(o => o.WorkerConcurrency = 4, b => UseOutbox(b));
        host.Recorder.OnHandle = item => item is InboundMessage { Body: "m00" } ? Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System) : Task.CompletedTask;

        for (var i = 0; i < 12; i++)
        {
            using var response = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid, from: "+14155550140", body: "m" + i.ToString("D2", CultureInfo.InvariantCulture)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await host.Recorder.WaitForAsync<InboundMessage>(12, Timeout);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => "m" + i.ToString("D2", CultureInfo.InvariantCulture)), host.Recorder.Of<InboundMessage>().Select(m => m.Body));
    }

    [Fact]
    public async Task Outbox_WorkersBusyLongerThanTheLease_WaitingWebhooksNotClaimedTwice()
    {
        var time = new ManualTimeProvider();
        var poll = TimeSpan.FromSeconds(1);
        ObservedOutbox? outbox = null;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await WebhookHost.StartAsync(
            o =>
            {
                o.WorkerConcurrency = 1;
                o.OutboxLease = TimeSpan.FromMinutes(1);
                o.OutboxPollInterval = poll;
            },
            b => UseOutbox(b.Services.AddSingleton<TimeProvider>(time), o => outbox = o));
        host.Recorder.OnHandle = item =>
        {
            if (item is InboundMessage { Body: "slow" })
            {
                started.TrySetResult();
                return release.Task;
            }

            return Task.CompletedTask;
        };

        foreach (var (from, body) in new[] { ("+14155550151", "slow"), ("+14155550152", "second"), ("+14155550153", "third") })
        {
            using var response = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid, from: from, body: body));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await started.Task.WaitAsync(Timeout, TimeProvider.System);
        await WaitUntilAsync(() => time.HasTimerDueAt(time.GetUtcNow() + poll), "pump waiting");

        // The slow handler outlives every lease; the pump wakes after it and must not take what this instance holds.
        time.Advance(TimeSpan.FromMinutes(2));
        await WaitUntilAsync(() => time.HasTimerDueAt(time.GetUtcNow() + poll), "pump polled after the leases ended");
        release.SetResult();

        await host.Recorder.WaitForAsync<InboundMessage>(3, Timeout);
        await WaitUntilAsync(() => outbox!.Inner.Count == 0 && host.Services.GetRequiredService<WebhookQueue>().Depth == 0, "everything processed");
        Assert.Equal(["second", "slow", "third"], host.Recorder.Of<InboundMessage>().Select(m => m.Body).Order(StringComparer.Ordinal));
        Assert.Equal(3, outbox!.Claimed);
    }

    [Fact]
    public async Task Outbox_HandlerSlowerThanTheLease_LeaseKeptSoAnotherInstanceCannotTakeItOver()
    {
        var time = new ManualTimeProvider();
        var lease = TimeSpan.FromMinutes(1);
        var renewal = lease / 3;
        ObservedOutbox? outbox = null;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await WebhookHost.StartAsync(
            o =>
            {
                o.OutboxLease = lease;
                o.OutboxPollInterval = TimeSpan.FromHours(1);
            },
            b => UseOutbox(b.Services.AddSingleton<TimeProvider>(time), o => outbox = o));
        host.Recorder.OnHandle = _ =>
        {
            started.TrySetResult();
            return release.Task;
        };

        using var response = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid, body: "slow"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await started.Task.WaitAsync(Timeout, TimeProvider.System);

        // Three minutes pass, a third of a lease at a time, each time after the pump has extended what it holds.
        for (var i = 0; i < 9; i++)
        {
            await WaitUntilAsync(() => time.HasTimerDueAt(time.GetUtcNow() + renewal), "lease extension scheduled");
            time.Advance(renewal);
        }

        await WaitUntilAsync(() => time.HasTimerDueAt(time.GetUtcNow() + renewal), "last lease extension done");

        // Another instance claiming now finds nothing: the lease is alive although the first one ended long ago.
        Assert.Empty(await outbox!.Inner.ClaimAsync(10, lease));
        release.SetResult();
        await WaitUntilAsync(() => outbox.Inner.Count == 0, "webhook completed");
        Assert.Equal("slow", Assert.Single(host.Recorder.Of<InboundMessage>()).Body);
        Assert.Equal(1, outbox.Claimed);
    }

    [Theory]
    [InlineData(nameof(TwilioWebhookOptions.OutboxLease))]
    [InlineData(nameof(TwilioWebhookOptions.OutboxPollInterval))]
    [InlineData(nameof(TwilioWebhookOptions.OutboxMaxAttempts))]
    public async Task Start_InvalidOutboxOption_FailsValidationNamingTheOption(string option)
    {
        var others = new[] { nameof(TwilioWebhookOptions.OutboxLease), nameof(TwilioWebhookOptions.OutboxPollInterval), nameof(TwilioWebhookOptions.OutboxMaxAttempts) }
            .Where(o => o != option);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => WebhookHost.StartAsync(o =>
        {
            switch (option)
            {
                case nameof(TwilioWebhookOptions.OutboxLease):
                    o.OutboxLease = TimeSpan.Zero;
                    break;
                case nameof(TwilioWebhookOptions.OutboxPollInterval):
                    o.OutboxPollInterval = TimeSpan.FromSeconds(-1);
                    break;
                default:
                    o.OutboxMaxAttempts = 0;
                    break;
            }
        }));

        var failure = Assert.Single(error.Failures);
        Assert.Contains("TwilioWebhookOptions." + option, failure, StringComparison.Ordinal);
        Assert.All(others, other => Assert.DoesNotContain(other, failure, StringComparison.Ordinal));
    }

    private static IServiceCollection UseOutbox(WebApplicationBuilder builder, Action<ObservedOutbox>? created = null) => UseOutbox(builder.Services, created);

    private static IServiceCollection UseOutbox(IServiceCollection services, Action<ObservedOutbox>? created = null) =>
        services.AddSingleton<IWebhookOutbox>(sp =>
        {
            var outbox = new ObservedOutbox(new InMemoryWebhookOutbox(sp.GetRequiredService<IWebhookDedupeStore>(), sp.GetRequiredService<TimeProvider>()));
            created?.Invoke(outbox);
            return outbox;
        });

    /// <summary>The entry another instance's receiver stores for an inbound form delivered with <paramref name="token"/>.</summary>
    private static QueuedWebhook QueuedFromAnotherInstance(List<KeyValuePair<string, string>> form, string token)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["I-Twilio-Idempotency-Token"] = token;
        var (key, _) = DedupeKeys.For(context, WebhookKind.InboundMessage, new WebhookFields([.. form]));
        return new QueuedWebhook
        {
            Kind = "inbound",
            PartitionKey = form.Single(p => p.Key == "From").Value,
            Parameters = form,
            ReceivedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            DedupeKey = key,
        };
    }

    private static List<KeyValuePair<string, string>> ConversationForm(WebhookHost host, string conversationSid, int index) =>
    [
        new("EventType", "onMessageAdded"), new("AccountSid", host.Twilio.AccountSid), new("ConversationSid", conversationSid),
        new("MessageSid", "IM" + index.ToString("D32", CultureInfo.InvariantCulture)), new("Index", index.ToString(CultureInfo.InvariantCulture)),
    ];

    private static async Task WaitUntilAsync(Func<bool> condition, string what, Action? tick = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + Timeout;
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"Timed out waiting for: {what}.");
            tick?.Invoke();
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }
    }

    /// <summary>An outbox that counts what the pipeline does with it and can fail enqueues on demand.</summary>
    private sealed class ObservedOutbox(InMemoryWebhookOutbox inner) : IWebhookOutbox
    {
        private int stored;
        private int repeats;
        private int claimed;
        private int completed;
        private int abandoned;
        private volatile bool failEnqueue;
        private volatile bool failClaim;
        private int failedClaims;

        public InMemoryWebhookOutbox Inner { get; } = inner;

        public bool FailEnqueue
        {
            get => failEnqueue;
            set => failEnqueue = value;
        }

        public bool FailClaim
        {
            get => failClaim;
            set => failClaim = value;
        }

        public int FailedClaims => Volatile.Read(ref failedClaims);

        public int Stored => Volatile.Read(ref stored);

        public int Repeats => Volatile.Read(ref repeats);

        public int Claimed => Volatile.Read(ref claimed);

        public int Completed => Volatile.Read(ref completed);

        public int Abandoned => Volatile.Read(ref abandoned);

        public async ValueTask<bool> TryEnqueueAsync(QueuedWebhook webhook, TimeSpan dedupeTimeToLive, CancellationToken cancellationToken = default)
        {
            if (FailEnqueue)
            {
                throw new InvalidOperationException("outbox unreachable");
            }

            var added = await Inner.TryEnqueueAsync(webhook, dedupeTimeToLive, cancellationToken);
            if (added)
            {
                Interlocked.Increment(ref stored);
            }
            else
            {
                Interlocked.Increment(ref repeats);
            }

            return added;
        }

        public async ValueTask<IReadOnlyList<QueuedWebhook>> ClaimAsync(int maxCount, TimeSpan lease, CancellationToken cancellationToken = default)
        {
            if (FailClaim)
            {
                Interlocked.Increment(ref failedClaims);
                throw new InvalidOperationException("outbox unreachable");
            }

            var webhooks = await Inner.ClaimAsync(maxCount, lease, cancellationToken);
            Interlocked.Add(ref claimed, webhooks.Count);
            return webhooks;
        }

        public async ValueTask CompleteAsync(IReadOnlyList<QueuedWebhook> webhooks, CancellationToken cancellationToken = default)
        {
            await Inner.CompleteAsync(webhooks, cancellationToken);
            Interlocked.Add(ref completed, webhooks.Count);
        }

        public ValueTask ExtendLeasesAsync(IReadOnlyList<QueuedWebhook> webhooks, TimeSpan lease, CancellationToken cancellationToken = default) =>
            Inner.ExtendLeasesAsync(webhooks, lease, cancellationToken);

        public async ValueTask AbandonAsync(QueuedWebhook webhook, CancellationToken cancellationToken = default)
        {
            await Inner.AbandonAsync(webhook, cancellationToken);
            Interlocked.Increment(ref abandoned);
        }
    }

    /// <summary>A handler that runs until the worker cancels it.</summary>
    private sealed class BlockingInboundHandler : IInboundMessageHandler
    {
        private int started;
        private int finished;

        public int Started => Volatile.Read(ref started);

        public int Finished => Volatile.Read(ref finished);

        public async Task HandleAsync(InboundMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref started);
            await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
            Interlocked.Increment(ref finished);
        }
    }
}
