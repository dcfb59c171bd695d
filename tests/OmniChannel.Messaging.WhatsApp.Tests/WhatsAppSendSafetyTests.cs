using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.WhatsApp.Tests;

/// <summary>Per-message options, idempotency fingerprints and the batch contract on WhatsApp.</summary>
public sealed class WhatsAppSendSafetyTests
{
    [Fact]
    public async Task SendAsync_ShortenUrlsAndProvideFeedbackThroughService_PostsBothFields()
    {
        await using var h = await WhatsAppHarness.StartAsync(o => o.MessagingServiceSid = WhatsAppHarness.ServiceSid);
        await h.UserWritesAsync();

        var result = await h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User, "Track it: https://example.com/orders/10492?x=1")
        {
            ShortenUrls = true,
            ProvideFeedback = true,
        });

        Assert.Equal(MessageSendOutcome.Accepted, result.Outcome);
        Assert.Equal(HttpStatusCode.Created, result.HttpStatus);
        var post = Assert.Single(h.MessagePosts);
        Assert.Equal("true", post.FormValue("ShortenUrls"));
        Assert.Equal("true", post.FormValue("ProvideFeedback"));
    }

    [Fact]
    public async Task SendAsync_ShortenUrlsWithoutService_ThrowsBeforeAnyCall()
    {
        await using var h = await WhatsAppHarness.StartAsync();
        await h.UserWritesAsync();
        h.Twilio.ClearRequests();

        await Assert.ThrowsAsync<ArgumentException>(() => h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User, "https://example.com") { ShortenUrls = true }));
        Assert.Empty(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_KeyReusedWithAnotherBody_ThrowsAndSendsNothing()
    {
        await using var h = await WhatsAppHarness.StartAsync();
        await h.UserWritesAsync();
        var first = await h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User, "Your order shipped") { IdempotencyKey = "order-9" });

        var exception = await Assert.ThrowsAsync<IdempotencyKeyMismatchException>(() =>
            h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User, "Your order was canceled") { IdempotencyKey = "order-9" }));

        Assert.Equal(first.MessageSid, exception.FirstMessageSid);
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_SameRequestSentAsFallbackThenRepeatedOnceTheWindowOpened_IsADuplicateNotAMismatch()
    {
        await using var h = await WhatsAppHarness.StartAsync();
        var template = new WhatsAppTemplate(h.Twilio.AddContentTemplate("Case {{1}} updated"), "7");
        WhatsAppMessage Message() => new(WhatsAppHarness.User, "Case 7 updated") { FallbackTemplate = template, IdempotencyKey = "case-7" };

        var first = await h.Client.SendAsync(Message());
        await h.UserWritesAsync();
        var repeat = await h.Client.SendAsync(Message());

        Assert.Equal(template.ContentSid, first.ContentSid);
        Assert.True(repeat.IsDuplicate);
        Assert.Equal(first.MessageSid, repeat.MessageSid);
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_SendAtInsideFifteenMinutes_ThrowsBeforeAnyCall()
    {
        await using var h = await WhatsAppHarness.StartAsync(o => o.MessagingServiceSid = WhatsAppHarness.ServiceSid);

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User)
        {
            Template = new WhatsAppTemplate("HX0123456789abcdef0123456789abcdef"),
            SendAt = h.Clock.GetUtcNow().AddMinutes(5),
        }));

        Assert.Contains("35 days", exception.Message, StringComparison.Ordinal);
        Assert.Empty(h.MessagePosts);
    }

    [Fact]
    public async Task SendManyAsync_MalformedItemAmongGoodOnes_RejectsItAndSendsTheRest()
    {
        await using var h = await WhatsAppHarness.StartAsync();
        await h.UserWritesAsync();
        var template = new WhatsAppTemplate(h.Twilio.AddContentTemplate("Hello"));

        var results = await h.Client.SendManyAsync(
        [
            new WhatsAppMessage(WhatsAppHarness.User, "one"),
            new WhatsAppMessage(WhatsAppHarness.User, "body and template") { Template = template },
            new WhatsAppMessage(WhatsAppHarness.User, "two"),
        ]);

        Assert.Equal([MessageSendOutcome.Accepted, MessageSendOutcome.Rejected, MessageSendOutcome.Accepted], results.Select(r => r.Outcome));
        Assert.Contains("template", results[1].ErrorMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, h.MessagePosts.Count);
    }

    [Fact]
    public async Task SendAsync_63016ForAMessageTheUserAnsweredMeanwhile_LeavesTheReopenedWindowOpen()
    {
        ILastInboundStore? store = null;
        ManualTimeProvider? clock = null;
        var userWritesWhileInFlight = new CallbackHandler(async () =>
        {
            clock!.Advance(TimeSpan.FromSeconds(2));
            await store!.RecordInboundAsync(WhatsAppHarness.Sender, WhatsAppHarness.User, clock.GetUtcNow());
        });
        await using var h = await WhatsAppHarness.StartAsync(synchronousChannelErrors: true, httpClient: b => b.AddHttpMessageHandler(() => userWritesWhileInFlight));
        store = h.Provider.GetRequiredService<ILastInboundStore>();
        clock = h.Clock;
        // Our store saw an inbound message, Twilio did not: it answers 63016 while the user writes again.
        await store.RecordInboundAsync(WhatsAppHarness.Sender, WhatsAppHarness.User, h.Clock.GetUtcNow());

        var result = await h.Client.SendAsync(WhatsAppHarness.User, "Hi");
        var window = await h.Client.GetWindowAsync(WhatsAppHarness.User);

        Assert.Equal(63016, result.ErrorCode);
        Assert.True(window.IsOpen);
        Assert.False((await store.GetAsync(WhatsAppHarness.Sender, WhatsAppHarness.User))!.Value.IsClosedByTwilio);
    }

    [Fact]
    public async Task ApplyStatusCallbackAsync_Async63018_IsRetryable()
    {
        await using var h = await WhatsAppHarness.StartAsync();

        var category = await h.Client.ApplyStatusCallbackAsync(WhatsAppHarness.User, MessageStatus.Failed, 63018);

        Assert.Equal(MessageErrorCategory.Retryable, category);
        Assert.False((await h.Client.GetWindowAsync(WhatsAppHarness.User)).IsOpen);
        Assert.Null(await h.Provider.GetRequiredService<ILastInboundStore>().GetAsync(WhatsAppHarness.Sender, WhatsAppHarness.User));
    }

    private sealed class CallbackHandler(Func<Task> beforeSend) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post)
            {
                await beforeSend();
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
