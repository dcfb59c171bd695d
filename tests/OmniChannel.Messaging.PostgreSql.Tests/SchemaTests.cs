using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OmniChannel.Messaging.PostgreSql.Internal;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.PostgreSql.Tests;

public sealed class SchemaTests
{
    [Fact]
    public async Task EnsureSchema_TenInstancesStartingAtOnce_ApplyEachMigrationOnce()
    {
        await using var fixture = PostgreSqlFixture.Create();
        var instances = Enumerable.Range(0, 10).Select(_ => fixture.Database()).ToList();

        await Task.WhenAll(instances.Select(i => Task.Run(async () => await i.EnsureSchemaAsync(CancellationToken.None))));

        Assert.Equal((long)PostgreSqlSchema.CurrentVersion, await fixture.ScalarAsync<long>($"SELECT count(*) FROM \"{fixture.SchemaName}\".schema_version"));
        Assert.Equal(PostgreSqlSchema.CurrentVersion, await fixture.ScalarAsync<int>($"SELECT max(version) FROM \"{fixture.SchemaName}\".schema_version"));
    }

    [Fact]
    public async Task EnsureSchema_IdempotencyCleanup_HasOnePartialIndexPerCleanupCondition()
    {
        await using var fixture = PostgreSqlFixture.Create();
        await fixture.Database().EnsureSchemaAsync(CancellationToken.None);

        foreach (var entry in ExpiredRowCleanup.ExpiringTables.Where(e => e.Table == "message_idempotency"))
        {
            var predicate = entry.Condition.StartsWith("NOT ", StringComparison.Ordinal) ? "(NOT is_completed)" : entry.Condition;
            Assert.Equal(1L, await fixture.ScalarAsync<long>(
                $"SELECT count(*) FROM pg_indexes WHERE schemaname = '{fixture.SchemaName}' AND tablename = 'message_idempotency' AND indexdef LIKE '%(expires_at) WHERE {predicate}'"));
        }
    }

    [Fact]
    public async Task EnsureSchema_WithoutMigrationsOnAnEmptyDatabase_FailsSayingWhatToDo()
    {
        await using var fixture = PostgreSqlFixture.Create();
        var database = fixture.Database(configure: o => o.ApplyMigrations = false);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => database.EnsureSchemaAsync(CancellationToken.None).AsTask());

        Assert.Contains("is at version 0", exception.Message, StringComparison.Ordinal);
        Assert.Contains("PostgreSqlSchema.GetScript()", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetScript_AppliedByHand_IsEnoughWithoutMigrationsAndCanRunTwice()
    {
        await using var fixture = PostgreSqlFixture.Create();
        var script = PostgreSqlSchema.GetScript(fixture.SchemaName);
        await using (var connection = new NpgsqlConnection(fixture.ConnectionString))
        {
            await connection.OpenAsync();
            for (var i = 0; i < 2; i++)
            {
                await using var command = new NpgsqlCommand(script, connection);
                await command.ExecuteNonQueryAsync();
            }
        }

        var database = fixture.Database(configure: o => o.ApplyMigrations = false);
        await database.EnsureSchemaAsync(CancellationToken.None);
        var list = new Stores.PostgreSqlSuppressionList(database);

        Assert.True(await list.SuppressAsync(MessagingChannel.Sms, SuppressionScope.All, "+14155550100"));
    }

    [Theory]
    [InlineData("Omni")]
    [InlineData("omni; drop table x")]
    [InlineData("1omni")]
    public void SchemaName_NotAPlainIdentifier_IsRejected(string name)
    {
        var exception = Assert.Throws<ArgumentException>(() => PostgreSqlSchema.GetScript(name));
        Assert.Contains($"'{name}'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cleanup_DeletesExpiredRowsInBatchesAndKeepsLiveOnes()
    {
        await using var fixture = PostgreSqlFixture.Create();
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));
        var database = fixture.Database(clock);
        var store = new Stores.PostgreSqlConversationUniqueNameStore(database);
        for (var i = 0; i < 25; i++)
        {
            await store.SetAsync($"old-{i}", "CH0000000000000000000000000000000a", TimeSpan.FromMinutes(1));
        }

        await store.SetAsync("live", "CH0000000000000000000000000000000b", TimeSpan.FromHours(1));
        clock.Advance(TimeSpan.FromMinutes(2));
        var cleanup = new ExpiredRowCleanup(database, new PostgreSqlStoreOptions { CleanupBatchSize = 10 }, Microsoft.Extensions.Logging.Abstractions.NullLogger<ExpiredRowCleanup>.Instance);

        var deleted = await cleanup.RunOnceAsync(CancellationToken.None);

        Assert.Equal(25, deleted);
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM \"{fixture.SchemaName}\".conversation_unique_names"));
        Assert.NotNull(await store.GetAsync("live"));
    }

    [Fact]
    public async Task Cleanup_AbandonedIdempotencyReservation_IsKeptForTheRetentionThenDeleted()
    {
        await using var fixture = PostgreSqlFixture.Create();
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));
        var database = fixture.Database(clock);
        var store = new Stores.PostgreSqlMessageIdempotencyStore(database);
        Assert.Null(await store.TryReserveAsync("crashed-send", TimeSpan.FromMinutes(1)));
        var cleanup = new ExpiredRowCleanup(
            database,
            new PostgreSqlStoreOptions { AbandonedReservationRetention = TimeSpan.FromHours(24) },
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ExpiredRowCleanup>.Instance);
        async Task<long> Rows() => await fixture.ScalarAsync<long>($"SELECT count(*) FROM \"{fixture.SchemaName}\".message_idempotency");

        clock.Advance(TimeSpan.FromHours(24)); // the lease ended 23 h 59 min ago: a retry must still hear "may have been sent"
        Assert.Equal(0, await cleanup.RunOnceAsync(CancellationToken.None));
        Assert.Equal(1L, await Rows());

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await cleanup.RunOnceAsync(CancellationToken.None));
        Assert.Equal(0L, await Rows());
    }

    [Fact]
    public async Task UnreachableServer_SurfacesAClearErrorWithoutThePassword()
    {
        var options = new PostgreSqlStoreOptions { ConnectionString = "Host=127.0.0.1;Port=1;Username=postgres;Password=hunter2-secret;Timeout=2" };
        await using var database = new PostgreSqlDatabase(options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgreSqlDatabase>.Instance);

        var exception = await Assert.ThrowsAnyAsync<NpgsqlException>(() => new Stores.PostgreSqlSuppressionList(database).IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.All, "+14155550100").AsTask());

        Assert.Contains("127.0.0.1", exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsePostgreSql_ReplacesTheInMemoryStoresAndSharesThemAcrossInstances()
    {
        await using var fixture = PostgreSqlFixture.Create();
        ServiceProvider Instance()
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddOmniChannelMessaging(o =>
            {
                o.AccountSid = "AC0123456789abcdef0123456789abcdef";
                o.AuthToken = "token";
                o.UseEnvironmentVariables = false;
            }).UsePostgreSql(fixture.ConnectionString, o => o.SchemaName = fixture.SchemaName);
            return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        }

        await using var a = Instance();
        await using var b = Instance();

        // An opt-out recorded by instance A stops a send from instance B.
        await a.GetRequiredService<ISuppressionList>().SuppressAsync(MessagingChannel.Sms, SuppressionScope.All, "+14155550100");

        Assert.True(await b.GetRequiredService<ISuppressionList>().IsSuppressedAsync(MessagingChannel.Sms, SuppressionScope.Sender("+14155551234"), "+14155550100"));
        Assert.IsNotType<InMemoryLastInboundStore>(b.GetRequiredService<ILastInboundStore>());
        Assert.IsNotType<InMemoryConversationUniqueNameStore>(b.GetRequiredService<IConversationUniqueNameStore>());
        Assert.IsNotType<InMemoryMessageIdempotencyStore>(b.GetRequiredService<IMessageIdempotencyStore>());
        Assert.IsNotType<InMemoryConsentStore>(b.GetRequiredService<IConsentStore>());
        Assert.IsNotType<InMemoryWebhookDedupeStore>(b.GetRequiredService<IWebhookDedupeStore>());
        Assert.IsNotType<InMemoryMessageStatusStore>(b.GetRequiredService<IMessageStatusStore>());

        // A webhook retried to instance B after instance A took it is recognised as a repeat.
        Assert.True(await a.GetRequiredService<IWebhookDedupeStore>().TryMarkSeenAsync("token:retry-1", TimeSpan.FromHours(1)));
        Assert.False(await b.GetRequiredService<IWebhookDedupeStore>().TryMarkSeenAsync("token:retry-1", TimeSpan.FromHours(1)));

        // A send on instance A holds an idempotency key that instance B sees.
        Assert.Null(await a.GetRequiredService<IMessageIdempotencyStore>().TryReserveAsync("AC1/sms/order-7", TimeSpan.FromMinutes(1)));
        Assert.NotNull(await b.GetRequiredService<IMessageIdempotencyStore>().TryReserveAsync("AC1/sms/order-7", TimeSpan.FromMinutes(1)));
        Assert.Single(b.GetServices<IHostedService>(), s => s is ExpiredRowCleanup);
    }

    [Fact]
    public void UsePostgreSql_BadArguments_FailFast()
    {
        var builder = new ServiceCollection().AddOmniChannelMessaging();

        Assert.Throws<ArgumentException>(() => builder.UsePostgreSql(" "));
        Assert.Throws<ArgumentException>(() => builder.UsePostgreSql("Host=x", o => o.SchemaName = "Bad-Name"));
    }

    [Theory]
    [InlineData("", 32)]
    [InlineData(";Max Auto Prepare=0", 0)]
    [InlineData(";Max Auto Prepare=10", 10)]
    [InlineData(";MaxAutoPrepare=0", 0)]
    public async Task DataSource_AutoPreparesUnlessTheConnectionStringSaysOtherwise(string setting, int expected)
    {
        var options = new PostgreSqlStoreOptions { ConnectionString = "Host=127.0.0.1;Username=postgres" + setting };
        await using var database = new PostgreSqlDatabase(options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgreSqlDatabase>.Instance);

        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(database.DataSource.ConnectionString).MaxAutoPrepare);
    }
}
