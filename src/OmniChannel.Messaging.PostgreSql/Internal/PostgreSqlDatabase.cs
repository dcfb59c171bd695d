using Microsoft.Extensions.Logging;
using Npgsql;

namespace OmniChannel.Messaging.PostgreSql.Internal;

/// <summary>
/// The stores' shared connection pool and schema. The schema is created or migrated once per process, on first use,
/// inside a transaction holding an advisory lock, so instances that start together apply each migration once.
/// </summary>
internal sealed partial class PostgreSqlDatabase : IAsyncDisposable
{
    private readonly PostgreSqlStoreOptions options;
    private readonly ILogger logger;
    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile bool ready;

    public PostgreSqlDatabase(PostgreSqlStoreOptions options, TimeProvider timeProvider, ILogger<PostgreSqlDatabase> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString);
        this.options = options;
        this.logger = logger;
        TimeProvider = timeProvider;
        Schema = SqlNames.Schema(options.SchemaName);
        // The stores run the same few statements over and over: unless the connection string says otherwise, let Npgsql
        // prepare them on each pooled connection, so the server parses and plans each once per connection, not per call.
        var connectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = options.ConnectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            connectionString.MaxAutoPrepare = 32;
        }

        DataSource = NpgsqlDataSource.Create(connectionString.ConnectionString);
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>Gets the quoted schema name, safe to put in SQL text.</summary>
    public string Schema { get; }

    public TimeProvider TimeProvider { get; }

    public async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        return await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one statement on a pooled connection and returns the number of rows it affected.</summary>
    public async ValueTask<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = Command(sql, connection, parameters);
        await using var commandScope = command.ConfigureAwait(false);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one query on a pooled connection and returns the first column of its first row, or <see langword="null"/>.</summary>
    public async ValueTask<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = Command(sql, connection, parameters);
        await using var commandScope = command.ConfigureAwait(false);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    public async ValueTask EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (ready)
        {
            return;
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!ready)
            {
                await MigrateAsync(cancellationToken).ConfigureAwait(false);
                ready = true;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync().ConfigureAwait(false);
        gate.Dispose();
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        if (!options.ApplyMigrations)
        {
            var found = await CurrentVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
            if (found < PostgreSqlSchema.CurrentVersion)
            {
                throw new InvalidOperationException(
                    $"The PostgreSQL schema {Schema} is at version {found}; this package needs version {PostgreSqlSchema.CurrentVersion}. " +
                    "Apply PostgreSqlSchema.GetScript() or set ApplyMigrations = true.");
            }

            return;
        }

        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction);
        await using (lockCommand.ConfigureAwait(false))
        {
            lockCommand.Parameters.AddWithValue("key", Migrations.LockKey(Schema));
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, Migrations.Bootstrap(Schema), cancellationToken).ConfigureAwait(false);
        var current = await CurrentVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        foreach (var migration in Migrations.All.Where(m => m.Version > current))
        {
            await ExecuteAsync(connection, transaction, migration.Sql(Schema), cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, $"INSERT INTO {Schema}.schema_version (version) VALUES ({Migrations.Describe(migration.Version)})", cancellationToken).ConfigureAwait(false);
            LogMigrated(logger, Schema, migration.Version, migration.Description);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> CurrentVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {Schema}.schema_version", connection, transaction);
        await using var commandScope = command.ConfigureAwait(false);
        try
        {
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (PostgresException exception) when (transaction is null && exception.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            return 0;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        await using var commandScope = command.ConfigureAwait(false);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlCommand Command(string sql, NpgsqlConnection connection, (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter(name, value));
        }

        return command;
    }

    [LoggerMessage(3001, LogLevel.Information, "Applied OmniChannel.Messaging schema migration {Version} to {Schema}: {Description}")]
    private static partial void LogMigrated(ILogger logger, string schema, int version, string description);
}
