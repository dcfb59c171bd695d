using Npgsql;
using OmniChannel.Messaging.Testing;
using static OmniChannel.Messaging.PostgreSql.Tests.Instances.WebhookServerInstances;

namespace OmniChannel.Messaging.PostgreSql.Tests.Instances;

/// <summary>The outbox against a real crash: the WebhookServer process is killed after it answered Twilio.</summary>
public sealed class ProcessCrashTests : IAsyncDisposable
{
    private readonly PostgreSqlFixture database = PostgreSqlFixture.Create();

    [Fact]
    public async Task ProcessKilledAfterTheAckWhileProcessing_RestartedProcessProcessesTheWebhookOnce()
    {
        var lease = TimeSpan.FromSeconds(2);
        var port = FreePort();
        await using var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { WebhookInstances = { LocalUrl(port) } });
        await database.Database().EnsureSchemaAsync(CancellationToken.None);
        var outboxRows = $"SELECT count(*) FROM \"{database.SchemaName}\".webhook_outbox";

        // Hold the table the worker's first step writes to (the WhatsApp window's last-inbound time): the endpoint never
        // touches it, so the webhook is stored and answered, and the worker then waits inside processing.
        await using var blocker = new NpgsqlConnection(database.ConnectionString);
        await blocker.OpenAsync();
        var hold = await blocker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand($"LOCK TABLE \"{database.SchemaName}\".last_inbound IN EXCLUSIVE MODE", blocker, hold))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        string sid;
        await using (var first = await WebhookServerProcess.StartAsync(port, database, twilio.AccountSid, twilio.AuthToken, lease))
        {
            var delivery = await twilio.DeliverInboundMessageAsync("whatsapp:+14155555000", "whatsapp:" + Us, "Is my parcel lost?", webhookUrl: PublicUrl("twilio/messages"));
            Assert.Equal(200, delivery.StatusCode);
            sid = delivery.Parameter("MessageSid")!;

            await WaitUntilAsync(async () => await Scalar<long>($"{outboxRows} WHERE lease_id IS NOT NULL") == 1, "the first process to claim the webhook");
            await WaitUntilAsync(
                async () => await Scalar<long>("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%last_inbound%'") == 1,
                "the first process's worker to wait inside processing");

            first.Kill();
            Assert.DoesNotContain(first.Output, line => line.Contains(sid, StringComparison.Ordinal) && line.Contains("Inbound", StringComparison.Ordinal));
        }

        await hold.RollbackAsync();
        await hold.DisposeAsync();
        Assert.Equal(1L, await Scalar<long>(outboxRows));

        // The restarted process takes the webhook over when the dead process's lease ends and processes it once.
        await using var restarted = await WebhookServerProcess.StartAsync(port, database, twilio.AccountSid, twilio.AuthToken, lease);
        await WaitUntilAsync(async () => await Scalar<long>(outboxRows) == 0, "the restarted process to complete the webhook");
        await Task.Delay(lease + TimeSpan.FromMilliseconds(500), TimeProvider.System);

        var handled = restarted.Output.Where(line => line.Contains(sid, StringComparison.Ordinal) && line.Contains("Inbound WhatsApp message", StringComparison.Ordinal)).ToList();
        Assert.True(handled.Count == 1, "The restarted process handled the webhook " + handled.Count + " times:\n" + string.Join('\n', restarted.Output));
        Assert.Equal(0L, await Scalar<long>(outboxRows));
    }

    public async ValueTask DisposeAsync() => await database.DisposeAsync();

    private async Task<T> Scalar<T>(string sql) => (await database.ScalarAsync<T>(sql))!;
}
