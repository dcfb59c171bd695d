using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Sms;
using OmniChannel.Messaging.Testing;
using static OmniChannel.Messaging.PostgreSql.Tests.Instances.WebhookServerInstances;

namespace OmniChannel.Messaging.PostgreSql.Tests.Instances;

/// <summary>
/// Two WebhookServer instances in this process, one PostgreSQL schema, one public URL in front: the emulator posts
/// every webhook twice at once, one copy to each instance, as Twilio's retry racing the original would.
/// </summary>
public sealed class MultiInstanceTests : IAsyncDisposable
{
    private readonly PostgreSqlFixture database = PostgreSqlFixture.Create();
    private readonly ProcessedTally tally = new();
    private readonly List<IAsyncDisposable> owned = [];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EveryWebhookDeliveredToBothInstancesConcurrently_IsProcessedExactlyOnce(bool outbox)
    {
        var (portA, portB) = (FreePort(), FreePort());
        var twilio = await StartEmulatorAsync(o =>
        {
            o.WebhookInstances.Add(LocalUrl(portA));
            o.WebhookInstances.Add(LocalUrl(portB));
            o.DeliveriesPerWebhook = 2;
        });
        var a = await StartInstanceAsync(portA, twilio, outbox);
        await StartInstanceAsync(portB, twilio, outbox);

        var inbound = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            twilio.DeliverInboundMessageAsync($"+1415555{i + 1000:D4}", Us, $"message {i}", webhookUrl: PublicUrl("twilio/messages"))));
        var sms = a.Services.GetRequiredService<ISmsClient>();
        var sent = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => sms.SendAsync($"+1415555{i + 2000:D4}", "Your order ships today.")));
        var callbacks = (await Task.WhenAll(sent.Select(s => twilio.SendStatusCallbacksAsync(s.MessageSid!)))).SelectMany(c => c).ToList();

        Assert.All(inbound.Concat(callbacks), d => Assert.Equal(2, d.DeliveredTo.Distinct().Count()));
        Assert.All(inbound, d => Assert.Equal([200, 200], d.StatusCodes));
        Assert.All(callbacks, d => Assert.Equal([200, 204], d.StatusCodes.Order()));

        var expected = inbound.Select(d => "in:" + d.Parameter("MessageSid"))
            .Concat(callbacks.Select(d => $"st:{d.Parameter("MessageSid")}:{d.Parameter("MessageStatus")}"))
            .ToHashSet();
        Assert.Equal(20 + (5 * 3), expected.Count);
        await WaitUntilAsync(() => expected.All(tally.Counts.ContainsKey), "every webhook to be processed");

        // Give a second processing every chance to happen (several outbox polls) before counting.
        await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System);
        Assert.Equal(expected.Order(), tally.Counts.Keys.Order());
        Assert.All(tally.Counts, c => Assert.True(c.Value == 1, $"{c.Key} was processed {c.Value} times."));
        if (outbox)
        {
            Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT count(*) FROM \"{database.SchemaName}\".webhook_outbox"));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StopReceivedByOneInstance_BlocksASendFromTheOther(bool outbox)
    {
        const string customer = "+14155553000";
        var (portA, portB) = (FreePort(), FreePort());
        var twilio = await StartEmulatorAsync(o => o.WebhookInstances.Add(LocalUrl(portA)));
        await StartInstanceAsync(portA, twilio, outbox);
        var b = await StartInstanceAsync(portB, twilio, outbox);

        var stop = await twilio.DeliverInboundMessageAsync(customer, Us, "STOP", webhookUrl: PublicUrl("twilio/messages"));
        Assert.Equal([LocalUrl(portA) + "twilio/messages"], stop.DeliveredTo);
        Assert.Equal(200, stop.StatusCode);

        var result = await b.Services.GetRequiredService<ISmsClient>().SendAsync(customer, "Last chance: 20% off!");

        Assert.Equal(MessageSendOutcome.Suppressed, result.Outcome);
        Assert.DoesNotContain(twilio.Requests, r => r.Path.EndsWith("/Messages.json", StringComparison.Ordinal) && r.Method == "POST");
    }

    [Fact]
    public async Task WorkerDiesBetweenTheAckAndProcessing_AfterARestartTheWebhookIsProcessedOnce()
    {
        var (portA, portB) = (FreePort(), FreePort());
        var twilio = await StartEmulatorAsync(o => o.WebhookInstances.Add(LocalUrl(portA)));

        // Instance A accepts the webhook, answers 200, starts processing it and then dies: its handler never returns,
        // and it is stopped with no time to drain, so it neither completes the webhook nor gives it back.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dying = new ProcessedTally
        {
            OnInbound = (_, _) =>
            {
                started.TrySetResult();
                return new TaskCompletionSource().Task;
            },
        };
        var lease = TimeSpan.FromSeconds(2);
        var a = await WebhookServerInstances.StartAsync(portA, database, twilio, dying, outbox: true, lease);

        var delivery = await twilio.DeliverInboundMessageAsync("+14155554000", Us, "Where is my parcel?", webhookUrl: PublicUrl("twilio/messages"));
        Assert.Equal(200, delivery.StatusCode);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60), TimeProvider.System);
        await KillAsync(a);
        Assert.Equal(1L, await database.ScalarAsync<long>($"SELECT count(*) FROM \"{database.SchemaName}\".webhook_outbox"));

        // The restarted instance takes the webhook over once the dead worker's lease ends, and processes it once.
        await StartInstanceAsync(portB, twilio, outbox: true, lease);
        var key = "in:" + delivery.Parameter("MessageSid");
        await WaitUntilAsync(() => tally.Counts.ContainsKey(key), "the restarted instance to process the webhook");
        await WaitUntilAsync(async () => await database.ScalarAsync<long>($"SELECT count(*) FROM \"{database.SchemaName}\".webhook_outbox") == 0, "the outbox to empty");
        await Task.Delay(lease + TimeSpan.FromMilliseconds(500), TimeProvider.System);

        Assert.Equal(1, tally.Counts[key]);
        Assert.Equal(1, dying.Counts[key]);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var resource in Enumerable.Reverse(owned))
        {
            await resource.DisposeAsync();
        }

        await database.DisposeAsync();
    }

    /// <summary>
    /// As close to a dead process as one test process allows: stopped with no time to drain, then disposed, so nothing
    /// of it acts on the database again (no completion, no give-back, no lease extension).
    /// </summary>
    private static async Task KillAsync(WebApplication app)
    {
        try
        {
            await app.StopAsync(new CancellationToken(canceled: true));
        }
        catch (OperationCanceledException)
        {
            // A stop with no time left gives up on what is still running: that is the point.
        }
        catch (AggregateException)
        {
        }

        await app.DisposeAsync();
    }

    private async Task<TwilioEmulator> StartEmulatorAsync(Action<TwilioEmulatorOptions> configure)
    {
        var options = new TwilioEmulatorOptions();
        configure(options);
        var twilio = await TwilioEmulator.StartAsync(options);
        owned.Add(twilio);
        return twilio;
    }

    private async Task<WebApplication> StartInstanceAsync(int port, TwilioEmulator twilio, bool outbox, TimeSpan? lease = null)
    {
        var app = await WebhookServerInstances.StartAsync(port, database, twilio, tally, outbox, lease);
        owned.Add(app);
        return app;
    }
}
