using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OmniChannel.Messaging.PostgreSql.Internal;

namespace OmniChannel.Messaging.PostgreSql.Tests;

/// <summary>
/// A fresh schema on the throw-away PostgreSQL server that ./build.sh test starts (OMNICHANNEL_POSTGRES_CONNECTION);
/// the test fails, never skips, when there is no server.
/// </summary>
internal sealed class PostgreSqlFixture : IAsyncDisposable
{
    public const string ConnectionVariable = "OMNICHANNEL_POSTGRES_CONNECTION";

    private PostgreSqlFixture(string connectionString, string schema)
    {
        ConnectionString = connectionString;
        SchemaName = schema;
    }

    private readonly List<PostgreSqlDatabase> databases = [];

    public string ConnectionString { get; }

    public string SchemaName { get; }

    public static string RequireConnectionString()
    {
        var connectionString = Environment.GetEnvironmentVariable(ConnectionVariable);
        if (string.IsNullOrEmpty(connectionString))
        {
            Assert.Fail($"No PostgreSQL server: {ConnectionVariable} is not set. Run the tests with ./build.sh test, which starts a throw-away server.");
        }

        return connectionString;
    }

    public static PostgreSqlFixture Create() => new(RequireConnectionString(), "t_" + Guid.NewGuid().ToString("N")[..20]);

    public PostgreSqlDatabase Database(TimeProvider? timeProvider = null, Action<PostgreSqlStoreOptions>? configure = null)
    {
        var options = new PostgreSqlStoreOptions { ConnectionString = ConnectionString, SchemaName = SchemaName };
        configure?.Invoke(options);
        var database = new PostgreSqlDatabase(options, timeProvider ?? TimeProvider.System, NullLogger<PostgreSqlDatabase>.Instance);
        lock (databases)
        {
            databases.Add(database);
        }

        return database;
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T?)await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in databases)
        {
            await database.DisposeAsync();
        }

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{SchemaName}\" CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }
}
