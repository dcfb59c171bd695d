using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OmniChannel.Messaging.AspNetCore.Internal;
using OmniChannel.Messaging.Testing;

namespace OmniChannel.Messaging.AspNetCore.Tests.Webhooks;

public sealed class PipelineTests
{
    [Fact]
    public async Task Status_DuplicateDeliveries_ProcessedOnceEach()
    {
        await using var host = await WebhookHost.StartAsync();
        var sid = await host.SendThroughEmulatorAsync("+14155550111");

        var deliveries = await host.Twilio.SendStatusCallbacksAsync(sid, new StatusCallbackPlan { Duplicate = true });

        Assert.Equal(6, deliveries.Count);
        Assert.Equal([204, 200, 204, 200, 204, 200], deliveries.Select(d => d.StatusCode));
        await host.Recorder.WaitForAsync<StatusCallback>(3);
        await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        Assert.Equal(["delivered", "queued", "sent"], host.Recorder.Of<StatusCallback>().Select(c => c.Status.Value).Order(StringComparer.Ordinal));
        Assert.Equal(3, host.Services.GetRequiredService<WebhookMetrics>().Duplicates);
    }

    [Fact]
    public async Task Status_DuplicatesWithoutIdempotencyToken_DedupedByMessageSidAndStatus()
    {
        await using var host = await WebhookHost.StartAsync();
        var form = new List<KeyValuePair<string, string>> { new("MessageSid", "SM" + Guid.NewGuid().ToString("N")), new("AccountSid", host.Twilio.AccountSid), new("MessageStatus", "sent") };

        using var first = await host.PostSignedFormAsync("twilio/status", form);
        using var repeat = await host.PostSignedFormAsync("twilio/status", form);
        form[2] = new("MessageStatus", "delivered");
        using var next = await host.PostSignedFormAsync("twilio/status", form);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, next.StatusCode);
        await host.Recorder.WaitForAsync<StatusCallback>(2);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Status_OutOfOrderAndDuplicated_FinalStatusIsTheTrueLastOne(int seed)
    {
        await using var host = await WebhookHost.StartAsync();
        var delivered = await host.SendThroughEmulatorAsync("+14155550111");
        var undelivered = await host.SendThroughEmulatorAsync("+14155550112");

        await host.Twilio.SendStatusCallbacksAsync(delivered, new StatusCallbackPlan { Shuffle = true, Seed = seed, Duplicate = true, DuplicatesShareIdempotencyToken = false });
        await host.Twilio.SendStatusCallbacksAsync(undelivered, new StatusCallbackPlan { Statuses = ["queued", "sent", "undelivered"], Shuffle = true, Seed = seed });

        await host.Recorder.WaitForAsync<StatusCallback>(9);
        var store = host.Services.GetRequiredService<IMessageStatusStore>();
        Assert.Equal(MessageStatus.Delivered, (await store.GetAsync(delivered))!.Value.Status);
        var failed = (await store.GetAsync(undelivered))!.Value;
        Assert.Equal(MessageStatus.Undelivered, failed.Status);
        Assert.Equal(30003, failed.ErrorCode);
    }

    [Fact]
    public async Task StatusHandler_GetsFoldedCurrentStatus()
    {
        var seen = new List<MessageStatus>();
        await using var host = await WebhookHost.StartAsync(configureBuilder: b => b.Services.AddSingleton<IStatusCallbackHandler>(new DelegateStatusHandler((_, current) =>
        {
            lock (seen)
            {
                seen.Add(current.Status);
            }
        })));
        var sid = await host.SendThroughEmulatorAsync("+14155550111");

        await host.Twilio.SendStatusCallbacksAsync(sid, new StatusCallbackPlan { Statuses = ["delivered", "sent", "queued"] });
        await host.Recorder.WaitForAsync<StatusCallback>(3);

        lock (seen)
        {
            Assert.Equal([MessageStatus.Delivered, MessageStatus.Delivered, MessageStatus.Delivered], seen);
        }
    }

    [Fact]
    public async Task StatusCallback_Late21610_SuppressesTheRecipientForThatSender()
    {
        await using var host = await WebhookHost.StartAsync();
        var suppression = host.Services.GetRequiredService<ISuppressionList>();
        var sid = await host.SendThroughEmulatorAsync("+14155550111", from: "+14155550100");

        await host.Twilio.SendStatusCallbacksAsync(sid, new StatusCallbackPlan { Statuses = ["queued", "failed"], ErrorCode = 21610 });
        await host.Recorder.WaitForAsync<StatusCallback>(2);

        Assert.True(await suppression.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender("+14155550100"), "+14155550111"));
        Assert.False(await suppression.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender("+14155550199"), "+14155550111"));
    }

    [Fact]
    public async Task StatusCallback_Late63016ForWhatsApp_MarksTheWindowClosedForThatSender()
    {
        await using var host = await WebhookHost.StartAsync();
        var lastInbound = host.Services.GetRequiredService<ILastInboundStore>();
        var inboundAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await lastInbound.RecordInboundAsync("whatsapp:+14155550100", "whatsapp:+14155550113", inboundAt);
        var sid = await host.SendThroughEmulatorAsync("whatsapp:+14155550113", from: "whatsapp:+14155550100");

        await host.Twilio.SendStatusCallbacksAsync(sid, new StatusCallbackPlan { Statuses = ["queued", "failed"], ErrorCode = 63016 });
        await host.Recorder.WaitForAsync<StatusCallback>(2);

        var record = await lastInbound.GetAsync("whatsapp:+14155550100", "whatsapp:+14155550113");
        Assert.NotNull(record);
        Assert.True(record.Value.IsClosedByTwilio);
        Assert.Equal(inboundAt, record.Value.WindowClosedThrough);
        Assert.Null(await lastInbound.GetAsync("whatsapp:+14155550199", "whatsapp:+14155550113"));
    }

    [Fact]
    public async Task StatusCallback_Late63016AfterTheUserWroteAgain_LeavesTheReopenedWindowOpen()
    {
        await using var host = await WebhookHost.StartAsync();
        var lastInbound = host.Services.GetRequiredService<ILastInboundStore>();
        await lastInbound.RecordInboundAsync("whatsapp:+14155550100", "whatsapp:+14155550115", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var sid = await host.SendThroughEmulatorAsync("whatsapp:+14155550115", from: "whatsapp:+14155550100");
        await host.Twilio.SendStatusCallbacksAsync(sid, new StatusCallbackPlan { Statuses = ["queued"] });
        await host.Recorder.WaitForAsync<StatusCallback>(1);

        // The user writes after the message was queued, before Twilio reports the failure.
        var reopenedAt = host.Recorder.Of<StatusCallback>()[0].ReceivedAt.AddMilliseconds(1);
        await lastInbound.RecordInboundAsync("whatsapp:+14155550100", "whatsapp:+14155550115", reopenedAt);
        await host.Twilio.SendStatusCallbacksAsync(sid, new StatusCallbackPlan { Statuses = ["failed"], ErrorCode = 63016 });
        await host.Recorder.WaitForAsync<StatusCallback>(2);

        var record = await lastInbound.GetAsync("whatsapp:+14155550100", "whatsapp:+14155550115");
        Assert.Equal("63016", host.Recorder.Of<StatusCallback>()[1].ErrorCode?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotNull(record);
        Assert.False(record.Value.IsClosedByTwilio);
        Assert.Equal(reopenedAt, record.Value.LastInboundAt);
    }

    [Fact]
    public async Task StatusCallback_63016ForSms_LeavesTheWindowStoreAlone()
    {
        await using var host = await WebhookHost.StartAsync();
        var sid = await host.SendThroughEmulatorAsync("+14155550114", from: "+14155550100");

        await host.Twilio.SendStatusCallbacksAsync(sid, new StatusCallbackPlan { Statuses = ["queued", "failed"], ErrorCode = 63016 });
        await host.Recorder.WaitForAsync<StatusCallback>(2);

        Assert.Null(await host.Services.GetRequiredService<ILastInboundStore>().GetAsync("+14155550100", "+14155550114"));
    }

    [Fact]
    public async Task StatusCallback_OtherFailure_SuppressesNobody()
    {
        await using var host = await WebhookHost.StartAsync();
        var sid = await host.SendThroughEmulatorAsync("+14155550112", from: "+14155550100");

        await host.Twilio.SendStatusCallbacksAsync(sid, new StatusCallbackPlan { Statuses = ["queued", "undelivered"], ErrorCode = 30003 });
        await host.Recorder.WaitForAsync<StatusCallback>(2);

        Assert.False(await host.Services.GetRequiredService<ISuppressionList>().IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender("+14155550100"), "+14155550112"));
    }

    [Fact]
    public async Task StoreDown_WebhookIsAnswered503WithRetryAfter_NotProcessed_AndTheRetryIsProcessedOnceItIsBack()
    {
        var dedupe = new FlakyDedupeStore { Failing = true };
        await using var host = await WebhookHost.StartAsync(configureBuilder: b => b.Services.AddSingleton<IWebhookDedupeStore>(dedupe));

        var down = await host.Twilio.DeliverInboundMessageAsync("+14155550111", "+14155550100", "hello", webhookUrl: host.Url("twilio/messages"));
        dedupe.Failing = false;
        var back = await host.Twilio.DeliverInboundMessageAsync("+14155550111", "+14155550100", "hello again", webhookUrl: host.Url("twilio/messages"));
        await host.Recorder.WaitForAsync<InboundMessage>(1);

        Assert.Equal(503, down.StatusCode);
        Assert.Equal(200, back.StatusCode);
        Assert.Contains(host.Logs.Lines, l => l.Contains("could not be recorded", StringComparison.Ordinal) && l.Contains("database unreachable", StringComparison.Ordinal));
        Assert.Single(host.Recorder.Of<InboundMessage>());
    }

    [Fact]
    public async Task SuppressionListDown_StopIsAnswered503_NotAcknowledged()
    {
        await using var host = await WebhookHost.StartAsync(configureBuilder: b => b.Services.AddSingleton<ISuppressionList>(new BrokenSuppressionList()));

        var stop = await host.Twilio.DeliverInboundMessageAsync("+14155550111", "+14155550100", "STOP", webhookUrl: host.Url("twilio/messages"));

        Assert.Equal(503, stop.StatusCode);
    }

    [Fact]
    public async Task Inbound_StopThenSend_RecipientSuppressedBeforeTheAck()
    {
        await using var host = await WebhookHost.StartAsync();
        var suppression = host.Services.GetRequiredService<ISuppressionList>();

        var stop = await host.Twilio.DeliverInboundMessageAsync("+14155550111", "+14155550100", "Stop", webhookUrl: host.Url("twilio/messages"));

        Assert.Equal(200, stop.StatusCode);
        Assert.True(await suppression.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender("+14155550100"), "+14155550111"));
        Assert.False(await suppression.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender("+14155550199"), "+14155550111"));

        await host.Twilio.DeliverInboundMessageAsync("+14155550111", "+14155550100", "START", webhookUrl: host.Url("twilio/messages"));

        Assert.False(await suppression.IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender("+14155550100"), "+14155550111"));
    }

    [Fact]
    public async Task Inbound_StopThroughMessagingService_SuppressesTheWholeService()
    {
        const string service = "MG0123456789abcdef0123456789abcdef";
        await using var host = await WebhookHost.StartAsync();

        await host.Twilio.DeliverInboundMessageAsync("whatsapp:+14155550111", "whatsapp:+14155550100", "UNSUBSCRIBE", webhookUrl: host.Url("twilio/messages"), messagingServiceSid: service);

        Assert.True(await host.Services.GetRequiredService<ISuppressionList>()
            .IsSuppressedAsync(MessagingChannel.WhatsApp, SuppressionScope.MessagingService(service), "whatsapp:+14155550111"));
    }

    [Fact]
    public async Task Inbound_HelpAndStopReplies_TwimlForSmsOnly()
    {
        await using var host = await WebhookHost.StartAsync(o =>
        {
            o.HelpReply = "Acme support: reply STOP to opt out. Msg&data rates may apply.";
            o.OptOutReply = "You are unsubscribed.";
        });

        using var help = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid, body: "help"));
        using var stop = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid, body: "STOP"));
        using var plain = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid, body: "stop please"));
        using var whatsApp = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid, from: "whatsapp:+14155550111", to: "whatsapp:+14155550100", body: "HELP"));

        Assert.Equal("text/xml; charset=utf-8", help.Content.Headers.ContentType!.ToString());
        Assert.Contains("<Message>Acme support: reply STOP to opt out. Msg&amp;data rates may apply.</Message>", await help.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("<Message>You are unsubscribed.</Message>", await stop.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.EndsWith("<Response></Response>", await plain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.EndsWith("<Response></Response>", await whatsApp.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inbound_WhatsApp_RecordsLastInboundForTheWindow()
    {
        var time = new OmniChannel.Messaging.Testing.Shared.ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var host = await WebhookHost.StartAsync(configureBuilder: b => b.Services.AddSingleton<TimeProvider>(time));

        await host.Twilio.DeliverInboundMessageAsync("whatsapp:+14155550111", "whatsapp:+14155550100", "hi", webhookUrl: host.Url("twilio/messages"));
        await host.Recorder.WaitForAsync<InboundMessage>(1);

        var record = await host.Services.GetRequiredService<ILastInboundStore>().GetAsync("whatsapp:+14155550100", "whatsapp:+14155550111");
        Assert.Equal(time.GetUtcNow(), record!.Value.LastInboundAt);
        var decision = await host.Services.GetRequiredService<CustomerServiceWindow>()
            .EvaluateAsync(host.Services.GetRequiredService<ILastInboundStore>(), "whatsapp:+14155550100", "whatsapp:+14155550111");
        Assert.True(decision.IsOpen);
    }

    [Fact]
    public async Task Inbound_MediaAndUnknownFields_BoundWithoutFailing()
    {
        await using var host = await WebhookHost.StartAsync();
        var form = WebhookHost.InboundForm(host.Twilio.AccountSid, body: string.Empty);
        form.RemoveAll(p => p.Key == "NumMedia");
        form.Add(new("NumMedia", "2"));
        form.Add(new("MediaUrl0", "https://api.twilio.com/m/ME1"));
        form.Add(new("MediaContentType0", "image/jpeg"));
        form.Add(new("MediaUrl1", "https://api.twilio.com/m/ME2"));
        form.Add(new("FieldTwilioAddsNextYear", "x"));
        form.Add(new("NumSegments", "not-a-number"));

        using var response = await host.PostSignedFormAsync("twilio/messages", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await host.Recorder.WaitForAsync<InboundMessage>(1);
        var message = host.Recorder.Of<InboundMessage>().Single();
        Assert.Equal([new InboundMedia("https://api.twilio.com/m/ME1", "image/jpeg"), new InboundMedia("https://api.twilio.com/m/ME2", null)], message.Media);
        Assert.Null(message.NumSegments);
        Assert.Contains(new KeyValuePair<string, string>("FieldTwilioAddsNextYear", "x"), message.Parameters);
    }

    [Fact]
    public async Task Conversations_EmulatorEvents_TypedAndDeliveryReceiptFolded()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        await using var host = await WebhookHost.StartAsync(twilio: twilio);
        var conversation = await CreateConversationAsync(host);

        var added = await twilio.DeliverMessageAddedAsync(conversation.Sid, conversation.MessageSid, host.Url("twilio/conversations"));
        var receipt = await twilio.DeliverDeliveryUpdatedAsync(conversation.Sid, conversation.MessageSid, conversation.ParticipantSid, "delivered", webhookUrl: host.Url("twilio/conversations"));
        var sent = await twilio.DeliverDeliveryUpdatedAsync(conversation.Sid, conversation.MessageSid, conversation.ParticipantSid, "sent", webhookUrl: host.Url("twilio/conversations"));

        Assert.Equal([200, 200, 200], new[] { added.StatusCode, receipt.StatusCode, sent.StatusCode });
        await host.Recorder.WaitForAsync<ConversationEvent>(3);
        var events = host.Recorder.Of<ConversationEvent>();
        Assert.Equal(ConversationEventType.MessageAdded, events[0].EventType);
        Assert.Equal(conversation.MessageSid, events[0].MessageSid);
        Assert.Equal("hello there", events[0].Body);
        Assert.Equal(0, events[0].Index);
        Assert.Equal(ConversationEventType.DeliveryUpdated, events[1].EventType);
        var state = await host.Services.GetRequiredService<IMessageStatusStore>().GetAsync(receipt.Parameter("ChannelMessageSid")!);
        Assert.Equal(MessageStatus.Delivered, state!.Value.Status);
    }

    [Fact]
    public async Task Conversations_EventsOfOneConversation_HandledInArrivalOrder()
    {
        await using var host = await WebhookHost.StartAsync(o => o.WorkerConcurrency = 4);
        host.Recorder.OnHandle = item => item is ConversationEvent { Index: 0 } ? Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System) : Task.CompletedTask;
        var conversationSid = "CH" + Guid.NewGuid().ToString("N");

        for (var i = 0; i < 20; i++)
        {
            using var response = await host.PostSignedFormAsync("twilio/conversations",
            [
                new("EventType", "onMessageAdded"), new("AccountSid", host.Twilio.AccountSid), new("ConversationSid", conversationSid),
                new("MessageSid", "IM" + i.ToString("D32", System.Globalization.CultureInfo.InvariantCulture)), new("Index", i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ]);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await host.Recorder.WaitForAsync<ConversationEvent>(20);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long?)i), host.Recorder.Of<ConversationEvent>().Select(e => e.Index));
    }

    [Fact]
    public async Task Handler_Throws_RetriedBoundedTimesCountedAndWorkerKeepsGoing()
    {
        var attempts = 0;
        await using var host = await WebhookHost.StartAsync(o => o.HandlerRetryCount = 2);
        host.Recorder.OnHandle = item =>
        {
            if (item is InboundMessage { Body: "boom" })
            {
                Interlocked.Increment(ref attempts);
                throw new InvalidOperationException("handler bug");
            }

            return Task.CompletedTask;
        };

        using var boom = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid, body: "boom"));
        using var fine = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid, body: "fine"));

        Assert.Equal(HttpStatusCode.OK, boom.StatusCode);
        await host.Recorder.WaitForAsync<InboundMessage>(1);
        var metrics = host.Services.GetRequiredService<WebhookMetrics>();
        await WaitUntilAsync(() => metrics.GivenUp == 1);
        Assert.Equal(3, Volatile.Read(ref attempts));
        Assert.Equal(3, metrics.StepFailures);
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("gave up", StringComparison.Ordinal));
        Assert.True(host.Services.GetRequiredService<WebhookWorker>().IsRunning);
    }

    [Fact]
    public async Task Handler_StillRunningThenFailsOnce_RetriedOnceAndHandled()
    {
        var attempts = 0;
        await using var host = await WebhookHost.StartAsync(o => o.HandlerRetryCount = 2);
        host.Recorder.OnHandle = async item =>
        {
            // Not complete when the handler returns: the first attempt is awaited by the retry loop, not re-run.
            await Task.Yield();
            if (item is InboundMessage { Body: "flaky" } && Interlocked.Increment(ref attempts) == 1)
            {
                throw new InvalidOperationException("transient");
            }
        };

        using var response = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid, body: "flaky"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await host.Recorder.WaitForAsync<InboundMessage>(1);
        var metrics = host.Services.GetRequiredService<WebhookMetrics>();
        await WaitUntilAsync(() => metrics.Processed == 1);
        Assert.Equal(2, Volatile.Read(ref attempts));
        Assert.Equal(1, metrics.StepFailures);
        Assert.Equal(0, metrics.GivenUp);
    }

    [Fact]
    public async Task Queue_Full_Answers503WithRetryAfterAndTheRetryIsProcessed()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await WebhookHost.StartAsync(o =>
        {
            o.QueueCapacity = 2;
            o.WorkerConcurrency = 1;
            o.RetryAfter = TimeSpan.FromSeconds(7);
        });
        host.Recorder.OnHandle = _ => release.Task;

        using var first = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid));
        using var second = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid));
        var thirdForm = WebhookHost.InboundForm(host.Twilio.AccountSid);
        using var third = await host.PostSignedFormAsync("twilio/messages", thirdForm, adjust: r => r.Headers.Add("I-Twilio-Idempotency-Token", "retry-me"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.StatusCode);
        Assert.Equal("7", third.Headers.GetValues("Retry-After").Single());
        var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, health.Status);

        release.SetResult();
        await host.Recorder.WaitForAsync<InboundMessage>(2);
        using var retry = await host.PostSignedFormAsync("twilio/messages", thirdForm, adjust: r => r.Headers.Add("I-Twilio-Idempotency-Token", "retry-me"));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        await host.Recorder.WaitForAsync<InboundMessage>(3);
    }

    [Fact]
    public async Task Shutdown_QueuedWebhooks_DrainedBeforeStop()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var host = await WebhookHost.StartAsync(o => o.WorkerConcurrency = 1);
        host.Recorder.OnHandle = _ => release.Task;
        for (var i = 0; i < 10; i++)
        {
            using var response = await host.PostSignedFormAsync("twilio/messages", WebhookHost.InboundForm(host.Twilio.AccountSid));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var stopping = host.App.StopAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        Assert.False(stopping.IsCompleted, "StopAsync returned while webhooks were still queued.");
        Assert.Empty(host.Recorder.Items);
        release.SetResult();
        await stopping;

        Assert.Equal(10, host.Recorder.Of<InboundMessage>().Count);
        Assert.False(host.Services.GetRequiredService<WebhookWorker>().IsRunning);
        var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        await host.DisposeAsync();
    }

    [Fact]
    public async Task HealthCheck_Running_HealthyWithQueueData()
    {
        await using var host = await WebhookHost.StartAsync();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = report.Entries["omnichannel-webhooks"];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(0, entry.Data["queueDepth"]);
        Assert.Equal(10_000, entry.Data["queueCapacity"]);
    }

    [Fact]
    public async Task AddWebhooks_CalledTwice_RegistersOneWorkerAndOneHealthCheck()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOmniChannelMessaging(twilio.ConfigureClient).AddWebhooks().AddWebhooks();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.Single(provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<WebhookWorker>());
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Single(report.Entries);
    }

    [Fact]
    public async Task AddWebhooks_UserDedupeStoreRegisteredFirst_Wins()
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        var services = new ServiceCollection();
        var mine = NSubstitute.Substitute.For<IWebhookDedupeStore>();
        services.AddSingleton(mine);
        services.AddLogging();
        services.AddOmniChannelMessaging(twilio.ConfigureClient).AddWebhooks();
        await using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<IWebhookDedupeStore>());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(10);
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "Condition not met within 10 s.");
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }
    }

    private static async Task<(string Sid, string MessageSid, string ParticipantSid)> CreateConversationAsync(WebhookHost host)
    {
        var auth = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{host.Twilio.AccountSid}:{host.Twilio.AuthToken}")));
        async Task<string> PostAsync(string path, List<KeyValuePair<string, string>> form)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.Twilio.BaseUrl, path)) { Content = new FormUrlEncodedContent(form) };
            request.Headers.Authorization = auth;
            using var response = await host.Client.SendAsync(request);
            var json = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, json);
            using var document = System.Text.Json.JsonDocument.Parse(json);
            return document.RootElement.GetProperty("sid").GetString()!;
        }

        var conversation = await PostAsync("v1/Conversations", [new("FriendlyName", "case")]);
        var participant = await PostAsync($"v1/Conversations/{conversation}/Participants", [new("MessagingBinding.Address", "+14155550111"), new("MessagingBinding.ProxyAddress", "+14155550100")]);
        var message = await PostAsync($"v1/Conversations/{conversation}/Messages", [new("Author", "agent-7"), new("Body", "hello there")]);
        return (conversation, message, participant);
    }

    private sealed class DelegateStatusHandler(Action<StatusCallback, MessageStatusEvent> onStatus) : IStatusCallbackHandler
    {
        public Task HandleAsync(StatusCallback callback, MessageStatusEvent currentStatus, CancellationToken cancellationToken)
        {
            onStatus(callback, currentStatus);
            return Task.CompletedTask;
        }
    }

    private sealed class FlakyDedupeStore : IWebhookDedupeStore
    {
        private readonly InMemoryWebhookDedupeStore inner = new(TimeProvider.System);

        public volatile bool Failing;

        public ValueTask<bool> TryMarkSeenAsync(string key, TimeSpan timeToLive, CancellationToken cancellationToken = default) =>
            Failing ? throw new InvalidOperationException("database unreachable") : inner.TryMarkSeenAsync(key, timeToLive, cancellationToken);

        public ValueTask ReleaseAsync(string key, CancellationToken cancellationToken = default) => inner.ReleaseAsync(key, cancellationToken);
    }

    private sealed class BrokenSuppressionList : ISuppressionList
    {
        public ValueTask<bool> SuppressAsync(MessagingChannel channel, SuppressionScope scope, string recipient, CancellationToken cancellationToken = default) =>
            throw new TimeoutException("database timeout");

        public ValueTask<bool> ReleaseAsync(MessagingChannel channel, SuppressionScope scope, string recipient, CancellationToken cancellationToken = default) =>
            throw new TimeoutException("database timeout");

        public ValueTask<bool> IsSuppressedAsync(MessagingChannel channel, SuppressionScope scope, string recipient, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(false);
    }
}
