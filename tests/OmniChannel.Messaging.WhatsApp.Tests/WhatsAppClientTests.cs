using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Testing;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.WhatsApp.Tests;

public sealed class WhatsAppClientTests
{
    [Fact]
    public async Task SendAsync_InsideWindow_SendsFreeForm()
    {
        await using var h = await WhatsAppHarness.StartAsync();
        await h.UserWritesAsync();
        h.Clock.Advance(TimeSpan.FromHours(23));

        var result = await h.Client.SendAsync("+44 7700 900123", "Thanks for writing");

        Assert.Equal(MessageSendOutcome.Accepted, result.Outcome);
        Assert.Null(result.ContentSid);
        Assert.Equal(WhatsAppHarness.User, result.To);
        var post = Assert.Single(h.MessagePosts);
        Assert.Equal(WhatsAppHarness.User, post.FormValue("To"));
        Assert.Equal(WhatsAppHarness.Sender, post.FormValue("From"));
        Assert.Equal("Thanks for writing", post.FormValue("Body"));
        Assert.Null(post.FormValue("ContentSid"));
    }

    [Fact]
    public async Task SendAsync_OutsideWindowWithFallback_SendsTemplateWithStringKeyedVariables()
    {
        await using var h = await WhatsAppHarness.StartAsync();
        var contentSid = h.Twilio.AddContentTemplate("Hi {{1}}, case {{2}} was updated");
        await h.UserWritesAsync();
        h.Clock.Advance(TimeSpan.FromHours(25));

        var result = await h.Client.SendAsync(WhatsAppHarness.User, "Case updated", new WhatsAppTemplate(contentSid, "Ada", "10492"));

        Assert.Equal(MessageSendOutcome.Accepted, result.Outcome);
        Assert.Equal(contentSid, result.ContentSid);
        var post = Assert.Single(h.MessagePosts);
        Assert.Equal(contentSid, post.FormValue("ContentSid"));
        Assert.Equal("{\"1\":\"Ada\",\"2\":\"10492\"}", post.FormValue("ContentVariables"));
        Assert.Null(post.FormValue("Body"));
    }

    [Fact]
    public async Task SendAsync_OutsideWindowWithoutFallback_TemplateRequiredWithoutHttpCall()
    {
        await using var h = await WhatsAppHarness.StartAsync();

        var result = await h.Client.SendAsync(WhatsAppHarness.User, "Hello?");

        Assert.Equal(MessageSendOutcome.TemplateRequired, result.Outcome);
        Assert.Equal(MessageErrorCategory.TemplateRequired, result.ErrorCategory);
        Assert.Contains("template", result.ErrorMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(h.Twilio.Requests);
    }

    [Fact]
    public async Task SendAsync_ExactlyTwentyFourHoursAfterInbound_WindowClosed()
    {
        await using var h = await WhatsAppHarness.StartAsync();
        await h.UserWritesAsync();
        h.Clock.Advance(TimeSpan.FromHours(24));

        var result = await h.Client.SendAsync(WhatsAppHarness.User, "Late reply");

        Assert.Equal(MessageSendOutcome.TemplateRequired, result.Outcome);
        Assert.Contains("closed at", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(h.Twilio.Requests);
    }

    [Fact]
    public async Task SendAsync_WindowNotEnforced_SendsAndTwilioAnswers63016()
    {
        await using var h = await WhatsAppHarness.StartAsync(o => o.EnforceCustomerServiceWindow = false, synchronousChannelErrors: true);

        var result = await h.Client.SendAsync(WhatsAppHarness.User, "Hello?");

        Assert.Equal(MessageSendOutcome.TemplateRequired, result.Outcome);
        Assert.Equal(63016, result.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, result.HttpStatus);
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_Twilio63016WhileStoreSaysOpen_MarksWindowClosedAndSendsFallback()
    {
        await using var h = await WhatsAppHarness.StartAsync(synchronousChannelErrors: true);
        var contentSid = h.Twilio.AddContentTemplate("Hi {{1}}");
        // Only our store saw an inbound message; Twilio did not, so Twilio answers 63016.
        await h.Provider.GetRequiredService<ILastInboundStore>().RecordInboundAsync(WhatsAppHarness.Sender, WhatsAppHarness.User, h.Clock.GetUtcNow());

        var first = await h.Client.SendAsync(WhatsAppHarness.User, "Hi", new WhatsAppTemplate(contentSid, "Ada"));
        var window = await h.Client.GetWindowAsync(WhatsAppHarness.User);
        var second = await h.Client.SendAsync(WhatsAppHarness.User, "Hi again");

        Assert.Equal(MessageSendOutcome.Accepted, first.Outcome);
        Assert.Equal(contentSid, first.ContentSid);
        Assert.Equal(2, h.MessagePosts.Count);
        Assert.False(window.IsOpen);
        Assert.Equal(MessageSendOutcome.TemplateRequired, second.Outcome);
        Assert.Equal(2, h.MessagePosts.Count);
    }

    [Fact]
    public async Task SendAsync_63016SeenByOneInstance_AnotherInstanceSharingTheStoreSendsNoFreeForm()
    {
        await using var h = await WhatsAppHarness.StartAsync(synchronousChannelErrors: true);
        var other = h.SecondInstance();
        await h.Provider.GetRequiredService<ILastInboundStore>().RecordInboundAsync(WhatsAppHarness.Sender, WhatsAppHarness.User, h.Clock.GetUtcNow());
        Assert.Equal(MessageSendOutcome.TemplateRequired, (await h.Client.SendAsync(WhatsAppHarness.User, "Hi")).Outcome);
        Assert.Single(h.MessagePosts);

        var fromOther = await other.SendAsync(WhatsAppHarness.User, "Hi from the other instance");

        Assert.Equal(MessageSendOutcome.TemplateRequired, fromOther.Outcome);
        Assert.Single(h.MessagePosts);
        Assert.False((await other.GetWindowAsync(WhatsAppHarness.User)).IsOpen);
    }

    [Fact]
    public async Task SendAsync_NewInboundAfter63016_ReopensWindow()
    {
        await using var h = await WhatsAppHarness.StartAsync(synchronousChannelErrors: true);
        await h.Provider.GetRequiredService<ILastInboundStore>().RecordInboundAsync(WhatsAppHarness.Sender, WhatsAppHarness.User, h.Clock.GetUtcNow());
        Assert.Equal(MessageSendOutcome.TemplateRequired, (await h.Client.SendAsync(WhatsAppHarness.User, "Hi")).Outcome);

        h.Clock.Advance(TimeSpan.FromMinutes(5));
        await h.UserWritesAsync();
        var result = await h.Client.SendAsync(WhatsAppHarness.User, "Now we can talk");

        Assert.Equal(MessageSendOutcome.Accepted, result.Outcome);
        Assert.True((await h.Client.GetWindowAsync(WhatsAppHarness.User)).IsOpen);
    }

    [Fact]
    public async Task ApplyStatusCallbackAsync_Async63016FromEmulator_ClosesWindow()
    {
        await using var receiver = await WireServer.StartAsync(_ => new WireResponse(204));
        await using var h = await WhatsAppHarness.StartAsync(o => o.StatusCallback = new Uri(receiver.BaseUrl, "status"));
        await h.Provider.GetRequiredService<ILastInboundStore>().RecordInboundAsync(WhatsAppHarness.Sender, WhatsAppHarness.User, h.Clock.GetUtcNow());
        var sent = await h.Client.SendAsync(WhatsAppHarness.User, "Hi");
        Assert.Equal(MessageSendOutcome.Accepted, sent.Outcome);

        var deliveries = await h.Twilio.SendStatusCallbacksAsync(sent.MessageSid!, new StatusCallbackPlan { Statuses = ["queued", "failed"] });
        var last = deliveries[^1];
        var category = await h.Client.ApplyStatusCallbackAsync(last.Parameter("To")!, new MessageStatus(last.Parameter("MessageStatus")!), int.Parse(last.Parameter("ErrorCode")!, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal("63016", last.Parameter("ErrorCode"));
        Assert.Equal(MessageErrorCategory.TemplateRequired, category);
        Assert.False((await h.Client.GetWindowAsync(WhatsAppHarness.User)).IsOpen);
        Assert.Equal(MessageSendOutcome.TemplateRequired, (await h.Client.SendAsync(WhatsAppHarness.User, "Again")).Outcome);
    }

    [Fact]
    public async Task SendAsync_Channel63018Synchronous_FailsRetryable()
    {
        await using var h = await WhatsAppHarness.StartAsync(synchronousChannelErrors: true, transport: o => o.Retry.MaxAttempts = 1);
        await h.UserWritesAsync();
        h.Twilio.SetSenderRate(WhatsAppHarness.Sender, 1);

        var first = await h.Client.SendAsync(WhatsAppHarness.User, "One");
        var second = await h.Client.SendAsync(WhatsAppHarness.User, "Two");

        Assert.Equal(MessageSendOutcome.Accepted, first.Outcome);
        Assert.Equal(MessageSendOutcome.Failed, second.Outcome);
        Assert.Equal(63018, second.ErrorCode);
        Assert.True(second.IsRetryable);
    }

    [Theory]
    [InlineData(63018, MessageErrorCategory.Retryable)]
    [InlineData(21610, MessageErrorCategory.Recipient)]
    [InlineData(30007, MessageErrorCategory.ContentFiltered)]
    public async Task ApplyStatusCallbackAsync_FailedCodes_ClassifiedAndOptOutSuppresses(int code, MessageErrorCategory expected)
    {
        await using var h = await WhatsAppHarness.StartAsync();

        var category = await h.Client.ApplyStatusCallbackAsync(WhatsAppHarness.User, MessageStatus.Failed, code);

        Assert.Equal(expected, category);
        var suppressed = await h.Provider.GetRequiredService<ISuppressionList>().IsSuppressedAsync(MessagingChannel.WhatsApp, SuppressionScope.Sender(WhatsAppHarness.Sender), WhatsAppHarness.User);
        Assert.Equal(code == 21610, suppressed);
    }

    [Fact]
    public async Task SendAsync_SuppressedOutsideWindow_ReportsSuppressedWithoutHttpCall()
    {
        await using var h = await WhatsAppHarness.StartAsync();
        await h.Provider.GetRequiredService<ISuppressionList>().SuppressAsync(MessagingChannel.WhatsApp, SuppressionScope.All, WhatsAppHarness.User);

        var result = await h.Client.SendTemplateAsync(WhatsAppHarness.User, new WhatsAppTemplate("HX0123456789abcdef0123456789abcdef"));

        Assert.Equal(MessageSendOutcome.Suppressed, result.Outcome);
        Assert.Empty(h.Twilio.Requests);
    }

    [Fact]
    public async Task SendAsync_Twilio21610_SuppressesRecipient()
    {
        await using var h = await WhatsAppHarness.StartAsync();
        await h.UserWritesAsync();
        h.Twilio.OptOut(WhatsAppHarness.Sender, WhatsAppHarness.User);

        var first = await h.Client.SendAsync(WhatsAppHarness.User, "Hi");
        var second = await h.Client.SendAsync(WhatsAppHarness.User, "Hi");

        Assert.Equal(21610, first.ErrorCode);
        Assert.Equal(MessageSendOutcome.Suppressed, second.Outcome);
        Assert.Single(h.MessagePosts);
    }

    [Theory]
    [InlineData("https://cdn.example.com/photo.jpg", null, null)]
    [InlineData("https://cdn.example.com/clip", "video/mp4", 10L * 1024 * 1024)]
    [InlineData("https://cdn.example.com/manual.pdf", null, 90L * 1024 * 1024)]
    [InlineData("https://cdn.example.com/x", "audio/ogg; codecs=opus", 1024L)]
    public async Task SendAsync_AllowedMedia_Sent(string url, string? contentType, long? size)
    {
        await using var h = await WhatsAppHarness.StartAsync();
        await h.UserWritesAsync();

        var result = await h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User) { Media = [new WhatsAppMedia(new Uri(url), contentType, size)] });

        Assert.Equal(MessageSendOutcome.Accepted, result.Outcome);
        Assert.Equal([url], Assert.Single(h.MessagePosts).FormValues("MediaUrl"));
    }

    [Theory]
    [InlineData("https://cdn.example.com/photo.jpg", null, 6L * 1024 * 1024, "at most")]
    [InlineData("https://cdn.example.com/clip.mp4", null, 17L * 1024 * 1024, "at most")]
    [InlineData("https://cdn.example.com/big.pdf", null, 101L * 1024 * 1024, "at most")]
    [InlineData("https://cdn.example.com/archive.zip", null, null, "unknown")]
    [InlineData("https://cdn.example.com/archive", "application/zip", null, "not allowed")]
    [InlineData("http://cdn.example.com/photo.jpg", null, null, "https")]
    public async Task SendAsync_BadMedia_InvalidContentWithoutHttpCall(string url, string? contentType, long? size, string reason)
    {
        await using var h = await WhatsAppHarness.StartAsync();
        await h.UserWritesAsync();

        var result = await h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User, "See attached") { Media = [new WhatsAppMedia(new Uri(url), contentType, size)] });

        Assert.Equal(MessageSendOutcome.InvalidContent, result.Outcome);
        Assert.Contains(reason, result.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(h.Twilio.Requests);
    }

    [Fact]
    public async Task SendAsync_MediaLimitsConfigured_Honoured()
    {
        await using var h = await WhatsAppHarness.StartAsync(o =>
        {
            o.MediaSizeLimits.Remove("image/png");
            o.MediaSizeLimits["image/jpeg"] = 1024;
        });
        await h.UserWritesAsync();

        var png = await h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User) { Media = [new WhatsAppMedia(new Uri("https://cdn.example.com/a.png"))] });
        var jpeg = await h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User) { Media = [new WhatsAppMedia(new Uri("https://cdn.example.com/a.jpg"), sizeBytes: 2048)] });

        Assert.Equal(MessageSendOutcome.InvalidContent, png.Outcome);
        Assert.Equal(MessageSendOutcome.InvalidContent, jpeg.Outcome);
        Assert.Empty(h.Twilio.Requests);
    }

    [Fact]
    public async Task SendAsync_TwoMediaItems_Throws()
    {
        await using var h = await WhatsAppHarness.StartAsync();
        var media = new WhatsAppMedia(new Uri("https://cdn.example.com/a.jpg"));

        await Assert.ThrowsAsync<ArgumentException>(() => h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User) { Media = [media, media] }));
    }

    [Fact]
    public async Task SendAsync_TemplateWithBody_Throws()
    {
        await using var h = await WhatsAppHarness.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User, "x") { Template = new WhatsAppTemplate("HX0123456789abcdef0123456789abcdef") }));
    }

    [Theory]
    [InlineData("HX123")]
    [InlineData("MG0123456789abcdef0123456789abcdef")]
    [InlineData("HX0123456789abcdef0123456789abcdeZ")]
    public void WhatsAppTemplate_MalformedContentSid_Throws(string sid)
    {
        var exception = Assert.Throws<ArgumentException>(() => new WhatsAppTemplate(sid));

        Assert.Contains(sid, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToContentVariablesJson_EscapesAndUsesStringKeys()
    {
        var template = new WhatsAppTemplate("HX0123456789abcdef0123456789abcdef", "Ada \"the\" Admin", "café");

        Assert.Equal("{\"1\":\"Ada \\u0022the\\u0022 Admin\",\"2\":\"caf\\u00E9\"}", template.ToContentVariablesJson());
        Assert.Null(new WhatsAppTemplate("HX0123456789abcdef0123456789abcdef").ToContentVariablesJson());
    }

    [Fact]
    public async Task SendAsync_ConsentRequiredAndMissing_FailsFastThenSendsOnceRecorded()
    {
        await using var h = await WhatsAppHarness.StartAsync(o => o.RequireConsentForTemplates = true);
        var template = new WhatsAppTemplate(h.Twilio.AddContentTemplate("Your order shipped"));
        var consent = h.Provider.GetRequiredService<IConsentStore>();

        var missing = await h.Client.SendTemplateAsync(WhatsAppHarness.User, template);
        await consent.RecordAsync(new ConsentRecord { Channel = MessagingChannel.WhatsApp, Recipient = WhatsAppHarness.User, GrantedAt = h.Clock.GetUtcNow(), Source = "checkout", ProofText = "Send me WhatsApp updates" });
        var granted = await h.Client.SendTemplateAsync(WhatsAppHarness.User, template);
        await consent.RevokeAsync(MessagingChannel.WhatsApp, WhatsAppHarness.User, h.Clock.GetUtcNow());
        var revoked = await h.Client.SendTemplateAsync(WhatsAppHarness.User, template);

        Assert.Equal(MessageSendOutcome.ConsentRequired, missing.Outcome);
        Assert.Equal(MessageSendOutcome.Accepted, granted.Outcome);
        Assert.Equal(MessageSendOutcome.ConsentRequired, revoked.Outcome);
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_ThroughMessagingService_SendsServiceSidAndKeysWindowBySender()
    {
        await using var h = await WhatsAppHarness.StartAsync(o => o.MessagingServiceSid = WhatsAppHarness.ServiceSid);
        await h.UserWritesAsync(WhatsAppHarness.ServiceSid);

        var result = await h.Client.SendAsync(WhatsAppHarness.User, "Hi");

        Assert.Equal(MessageSendOutcome.Accepted, result.Outcome);
        var post = Assert.Single(h.MessagePosts);
        Assert.Equal(WhatsAppHarness.ServiceSid, post.FormValue("MessagingServiceSid"));
        Assert.Null(post.FormValue("From"));
    }

    [Fact]
    public async Task SendAsync_TemplateWithIdempotencyKeyTwice_SendsOnce()
    {
        await using var h = await WhatsAppHarness.StartAsync();
        var template = new WhatsAppTemplate(h.Twilio.AddContentTemplate("Reminder"));

        var first = await h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User) { Template = template, IdempotencyKey = "reminder-7" });
        var second = await h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User) { Template = template, IdempotencyKey = "reminder-7" });

        Assert.Equal(first.MessageSid, second.MessageSid);
        Assert.True(second.IsDuplicate);
        Assert.Equal(template.ContentSid, second.ContentSid);
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendManyAsync_Mixed_ResultsInOrderWithReasons()
    {
        await using var h = await WhatsAppHarness.StartAsync();
        await h.UserWritesAsync();

        var results = await h.Client.SendManyAsync(
        [
            new WhatsAppMessage(WhatsAppHarness.User, "Inside the window"),
            new WhatsAppMessage("+447700900456", "Never wrote to us"),
            new WhatsAppMessage("whatsapp:12", "Bad number"),
        ]);

        Assert.Equal([MessageSendOutcome.Accepted, MessageSendOutcome.TemplateRequired, MessageSendOutcome.InvalidRecipient], results.Select(r => r.Outcome));
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_IdempotentSessionWithFallbackAfter63016_RepeatSendsNothing()
    {
        await using var h = await WhatsAppHarness.StartAsync(synchronousChannelErrors: true);
        var template = new WhatsAppTemplate(h.Twilio.AddContentTemplate("Case {{1}} updated"), "10492");
        await h.Provider.GetRequiredService<ILastInboundStore>().RecordInboundAsync(WhatsAppHarness.Sender, WhatsAppHarness.User, h.Clock.GetUtcNow());
        WhatsAppMessage Message() => new(WhatsAppHarness.User, "Case updated") { FallbackTemplate = template, IdempotencyKey = "case-10492-update-3" };

        var first = await h.Client.SendAsync(Message());
        var repeat = await h.Client.SendAsync(Message());

        Assert.Equal(template.ContentSid, first.ContentSid);
        Assert.True(repeat.IsDuplicate);
        Assert.Equal(first.MessageSid, repeat.MessageSid);
        Assert.Equal(2, h.MessagePosts.Count);
    }

    [Fact]
    public async Task SendAsync_IdempotentSessionSentInsideWindowRepeatedAfterItCloses_ReturnsFirstResult()
    {
        await using var h = await WhatsAppHarness.StartAsync();
        var template = new WhatsAppTemplate(h.Twilio.AddContentTemplate("Case {{1}} updated"), "10492");
        await h.UserWritesAsync();
        WhatsAppMessage Message() => new(WhatsAppHarness.User, "Case updated") { FallbackTemplate = template, IdempotencyKey = "case-10492-update-4" };

        h.Clock.Advance(TimeSpan.FromHours(12));
        var first = await h.Client.SendAsync(Message());
        h.Clock.Advance(TimeSpan.FromHours(13)); // the window has closed; the key, kept 24 hours from the send, has not expired
        var repeat = await h.Client.SendAsync(Message());

        Assert.Null(first.ContentSid);
        Assert.True(repeat.IsDuplicate);
        Assert.Equal(first.MessageSid, repeat.MessageSid);
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_ScheduledTemplateThroughService_SendsScheduleAndValidity()
    {
        await using var h = await WhatsAppHarness.StartAsync(o => o.MessagingServiceSid = WhatsAppHarness.ServiceSid);
        var template = new WhatsAppTemplate(h.Twilio.AddContentTemplate("Appointment tomorrow"));

        var result = await h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User)
        {
            Template = template,
            SendAt = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero),
            ValidityPeriod = TimeSpan.FromHours(1),
        });

        Assert.Equal(MessageStatus.Scheduled, result.Status);
        var post = Assert.Single(h.MessagePosts);
        Assert.Equal("fixed", post.FormValue("ScheduleType"));
        Assert.Equal("2026-03-02T08:00:00Z", post.FormValue("SendAt"));
        Assert.Equal("3600", post.FormValue("ValidityPeriod"));
    }

    [Fact]
    public async Task SendAsync_ScheduledWithoutService_ThrowsBeforeAnyCall()
    {
        await using var h = await WhatsAppHarness.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User)
        {
            Template = new WhatsAppTemplate("HX0123456789abcdef0123456789abcdef"),
            SendAt = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero),
        }));
        Assert.Empty(h.Twilio.Requests);
    }
}
