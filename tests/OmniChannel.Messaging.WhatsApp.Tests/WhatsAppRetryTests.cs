using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace OmniChannel.Messaging.WhatsApp.Tests;

/// <summary>Keyed retries report the first result whatever the policies say now; scheduled session messages and the window.</summary>
public sealed class WhatsAppRetryTests
{
    [Fact]
    public async Task SendAsync_KeyedSessionRetryAfterTheWindowClosedWithoutFallback_ReturnsTheFirstResult()
    {
        await using var h = await WhatsAppHarness.StartAsync();
        await h.UserWritesAsync();
        WhatsAppMessage Message() => new(WhatsAppHarness.User, "Your case is solved") { IdempotencyKey = "case-9-solved" };
        h.Clock.Advance(TimeSpan.FromHours(20));
        var first = await h.Client.SendAsync(Message());

        h.Clock.Advance(TimeSpan.FromHours(5)); // the window closed; the key, kept 24 hours from the send, has not expired
        var retry = await h.Client.SendAsync(Message());
        var fresh = await h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User, "Your case is solved") { IdempotencyKey = "case-9-solved-again" });

        Assert.Equal(MessageSendOutcome.Accepted, first.Outcome);
        Assert.Equal(MessageSendOutcome.Accepted, retry.Outcome);
        Assert.True(retry.IsDuplicate);
        Assert.Equal(first.MessageSid, retry.MessageSid);
        Assert.Equal(MessageSendOutcome.TemplateRequired, fresh.Outcome);
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_KeyedRetryAfterTheRecipientOptedOut_ReturnsTheFirstResult()
    {
        await using var h = await WhatsAppHarness.StartAsync();
        await h.UserWritesAsync();
        WhatsAppMessage Message() => new(WhatsAppHarness.User, "Thanks") { IdempotencyKey = "thanks-1" };
        var first = await h.Client.SendAsync(Message());
        await h.Provider.GetRequiredService<ISuppressionList>().SuppressAsync(MessagingChannel.WhatsApp, SuppressionScope.Sender(WhatsAppHarness.Sender), WhatsAppHarness.User);

        var retry = await h.Client.SendAsync(Message());

        Assert.True(retry.IsDuplicate);
        Assert.Equal(MessageSendOutcome.Accepted, retry.Outcome);
        Assert.Equal(first.MessageSid, retry.MessageSid);
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_KeyedScheduledRetryWhenSendAtIsNowTooClose_ReturnsTheFirstResult()
    {
        await using var h = await WhatsAppHarness.StartAsync(o => o.MessagingServiceSid = WhatsAppHarness.ServiceSid);
        var template = new WhatsAppTemplate(h.Twilio.AddContentTemplate("Appointment tomorrow"));
        var sendAt = h.Clock.GetUtcNow().AddMinutes(30);
        WhatsAppMessage Message() => new(WhatsAppHarness.User) { Template = template, SendAt = sendAt, IdempotencyKey = "appointment-3" };
        var first = await h.Client.SendAsync(Message());

        h.Clock.Advance(TimeSpan.FromMinutes(20));
        var retry = await h.Client.SendAsync(Message());

        Assert.Equal(MessageStatus.Scheduled, first.Status);
        Assert.True(retry.IsDuplicate);
        Assert.Equal(first.MessageSid, retry.MessageSid);
        Assert.Single(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_ScheduledSessionMessageAfterTheWindowCloses_TemplateRequiredWithoutHttpCall()
    {
        await using var h = await WhatsAppHarness.StartAsync(o => o.MessagingServiceSid = WhatsAppHarness.ServiceSid);
        await h.UserWritesAsync();
        h.Clock.Advance(TimeSpan.FromHours(20));

        var result = await h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User, "See you tomorrow") { SendAt = h.Clock.GetUtcNow().AddHours(5) });

        Assert.True((await h.Client.GetWindowAsync(WhatsAppHarness.User)).IsOpen);
        Assert.Equal(MessageSendOutcome.TemplateRequired, result.Outcome);
        Assert.Contains("SendAt", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(h.MessagePosts);
    }

    [Fact]
    public async Task SendAsync_ScheduledSessionMessageAfterTheWindowClosesWithFallback_SchedulesTheTemplate()
    {
        await using var h = await WhatsAppHarness.StartAsync(o => o.MessagingServiceSid = WhatsAppHarness.ServiceSid);
        var template = new WhatsAppTemplate(h.Twilio.AddContentTemplate("See you tomorrow"));
        await h.UserWritesAsync();
        h.Clock.Advance(TimeSpan.FromHours(20));
        var sendAt = h.Clock.GetUtcNow().AddHours(5);

        var result = await h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User, "See you tomorrow") { SendAt = sendAt, FallbackTemplate = template });

        Assert.Equal(MessageSendOutcome.Accepted, result.Outcome);
        Assert.Equal(template.ContentSid, result.ContentSid);
        var post = Assert.Single(h.MessagePosts);
        Assert.Equal(template.ContentSid, post.FormValue("ContentSid"));
        Assert.Null(post.FormValue("Body"));
        Assert.Equal("fixed", post.FormValue("ScheduleType"));
    }

    [Fact]
    public async Task SendAsync_ScheduledSessionMessageWhileTheWindowIsStillOpen_SendsFreeForm()
    {
        await using var h = await WhatsAppHarness.StartAsync(o => o.MessagingServiceSid = WhatsAppHarness.ServiceSid);
        await h.UserWritesAsync();
        h.Clock.Advance(TimeSpan.FromHours(20));

        var result = await h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User, "See you soon") { SendAt = h.Clock.GetUtcNow().AddHours(3).AddMinutes(59) });

        Assert.Equal(MessageSendOutcome.Accepted, result.Outcome);
        var post = Assert.Single(h.MessagePosts);
        Assert.Equal("See you soon", post.FormValue("Body"));
        Assert.Equal("fixed", post.FormValue("ScheduleType"));
    }

    [Fact]
    public async Task SendAsync_KeyedRetryAfterCreatedAndFailedAt63016WithFallback_ReturnsTheTemplatesResult()
    {
        await using var h = await WhatsAppHarness.StartAsync(httpClient: b => b.AddHttpMessageHandler(() => new FailSessionMessagesAt63016()));
        var template = new WhatsAppTemplate(h.Twilio.AddContentTemplate("Case {{1}} updated"), "10492");
        await h.UserWritesAsync();
        WhatsAppMessage Message() => new(WhatsAppHarness.User, "Case updated") { FallbackTemplate = template, IdempotencyKey = "case-10492-update-5" };

        var first = await h.Client.SendAsync(Message());
        var retry = await h.Client.SendAsync(Message());

        Assert.Equal(MessageSendOutcome.Accepted, first.Outcome);
        Assert.Equal(template.ContentSid, first.ContentSid);
        Assert.Equal(2, h.MessagePosts.Count);
        Assert.True(retry.IsDuplicate);
        Assert.Equal(MessageSendOutcome.Accepted, retry.Outcome);
        Assert.Equal(first.MessageSid, retry.MessageSid);
        Assert.Equal(template.ContentSid, retry.ContentSid);
        Assert.Equal(2, h.MessagePosts.Count);
    }

    [Fact]
    public async Task SendAsync_KeyedRetryAfterCreatedAndFailedAt63016WithoutFallback_ReturnsTemplateRequiredForTheSameMessage()
    {
        await using var h = await WhatsAppHarness.StartAsync(httpClient: b => b.AddHttpMessageHandler(() => new FailSessionMessagesAt63016()));
        await h.UserWritesAsync();
        WhatsAppMessage Message() => new(WhatsAppHarness.User, "Case updated") { IdempotencyKey = "case-10492-update-6" };

        var first = await h.Client.SendAsync(Message());
        var retry = await h.Client.SendAsync(Message());

        Assert.Equal(MessageSendOutcome.TemplateRequired, first.Outcome);
        Assert.Equal(MessageSendOutcome.TemplateRequired, retry.Outcome);
        Assert.True(retry.IsDuplicate);
        Assert.Equal(first.MessageSid, retry.MessageSid);
        Assert.Equal(63016, retry.ErrorCode);
        Assert.Single(h.MessagePosts);
    }

    /// <summary>Answers a free-form (Body) create as Twilio does when it creates the message and fails it at once: 201, status failed, 63016.</summary>
    private sealed class FailSessionMessagesAt63016 : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var form = request.Method == HttpMethod.Post && request.Content is not null ? await request.Content.ReadAsStringAsync(cancellationToken) : string.Empty;
            var response = await base.SendAsync(request, cancellationToken);
            if (!form.Contains("Body=", StringComparison.Ordinal) || form.Contains("ContentSid=", StringComparison.Ordinal) || (int)response.StatusCode != 201)
            {
                return response;
            }

            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
            json["status"] = "failed";
            json["error_code"] = 63016;
            json["error_message"] = "Failed to send freeform message because you are outside the allowed window.";
            response.Content = new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json");
            return response;
        }
    }

    [Fact]
    public async Task SendAsync_KeyedSessionMessage_ReadsTheIdempotencyStoreAndTheSuppressionListOnce()
    {
        var store = new CountingIdempotencyStore();
        var suppression = new CountingSuppressionList();
        await using var h = await WhatsAppHarness.StartAsync(services: s =>
        {
            s.AddSingleton<IMessageIdempotencyStore>(store);
            s.AddSingleton<ISuppressionList>(suppression);
        });
        await h.UserWritesAsync();

        var first = await h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User, "Your table is ready") { IdempotencyKey = "table-9" });
        var retry = await h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User, "Your table is ready") { IdempotencyKey = "table-9" });

        Assert.Equal(MessageSendOutcome.Accepted, first.Outcome);
        Assert.True(retry.IsDuplicate);
        Assert.Equal(first.MessageSid, retry.MessageSid);
        Assert.Single(h.MessagePosts);
        Assert.Equal(2, store.Gets);
        Assert.Equal(1, store.Reservations);
        Assert.Equal(1, suppression.Checks);
    }

    [Fact]
    public async Task SendAsync_SameRequestWithAndWithoutMediaType_IsAnotherRequestForTheKey()
    {
        await using var h = await WhatsAppHarness.StartAsync();
        await h.UserWritesAsync();
        var url = new Uri("https://cdn.example.com/menu");

        await h.Client.SendAsync(new WhatsAppMessage(WhatsAppHarness.User) { Media = [new WhatsAppMedia(url, "image/png")], IdempotencyKey = "menu-1" });

        await Assert.ThrowsAsync<IdempotencyKeyMismatchException>(() => h.Client.SendAsync(
            new WhatsAppMessage(WhatsAppHarness.User) { Media = [new WhatsAppMedia(url, "image/jpeg")], IdempotencyKey = "menu-1" }));
        Assert.Single(h.MessagePosts);
    }

    private sealed class CountingIdempotencyStore : IMessageIdempotencyStore
    {
        private readonly InMemoryMessageIdempotencyStore inner = new(TimeProvider.System);
        private int gets;
        private int reservations;

        public int Gets => Volatile.Read(ref gets);

        public int Reservations => Volatile.Read(ref reservations);

        public ValueTask<MessageIdempotencyRecord?> TryReserveAsync(string key, TimeSpan lease, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref reservations);
            return inner.TryReserveAsync(key, lease, cancellationToken);
        }

        public ValueTask CompleteAsync(MessageIdempotencyRecord record, TimeSpan timeToLive, CancellationToken cancellationToken = default) =>
            inner.CompleteAsync(record, timeToLive, cancellationToken);

        public ValueTask ReleaseAsync(string key, CancellationToken cancellationToken = default) => inner.ReleaseAsync(key, cancellationToken);

        public ValueTask<MessageIdempotencyRecord?> GetAsync(string key, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref gets);
            return inner.GetAsync(key, cancellationToken);
        }
    }

    private sealed class CountingSuppressionList : ISuppressionList
    {
        private readonly InMemorySuppressionList inner = new();
        private int checks;

        public int Checks => Volatile.Read(ref checks);

        public ValueTask<bool> SuppressAsync(MessagingChannel channel, SuppressionScope scope, string recipient, CancellationToken cancellationToken = default) =>
            inner.SuppressAsync(channel, scope, recipient, cancellationToken);

        public ValueTask<bool> ReleaseAsync(MessagingChannel channel, SuppressionScope scope, string recipient, CancellationToken cancellationToken = default) =>
            inner.ReleaseAsync(channel, scope, recipient, cancellationToken);

        public ValueTask<bool> IsSuppressedAsync(MessagingChannel channel, SuppressionScope scope, string recipient, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref checks);
            return inner.IsSuppressedAsync(channel, scope, recipient, cancellationToken);
        }
    }
}
