using System.Globalization;
using System.Text;
using OmniChannel.Messaging.PostgreSql.Internal;

namespace OmniChannel.Messaging.PostgreSql;

/// <summary>Provides the package's database schema as SQL, for teams that run migrations themselves.</summary>
public static class PostgreSqlSchema
{
    /// <summary>Gets the schema version this package needs.</summary>
    public static int CurrentVersion => Migrations.All[^1].Version;

    /// <summary>Gets the SQL that creates or upgrades the schema to <see cref="CurrentVersion"/>; every statement is idempotent.</summary>
    /// <param name="schemaName">The schema name: lower-case letters, digits and underscores.</param>
    /// <returns>The script, with the version bookkeeping included.</returns>
    /// <exception cref="ArgumentException"><paramref name="schemaName"/> is not a plain lower-case identifier.</exception>
    public static string GetScript(string schemaName = "omnichannel")
    {
        var schema = SqlNames.Schema(schemaName);
        var script = new StringBuilder()
            .AppendLine("-- OmniChannel.Messaging PostgreSQL schema, version " + CurrentVersion)
            .AppendLine(Migrations.Bootstrap(schema));
        foreach (var migration in Migrations.All)
        {
            script.AppendLine(CultureInfo.InvariantCulture, $"-- version {migration.Version}: {migration.Description}")
                .AppendLine(migration.Sql(schema))
                .AppendLine(CultureInfo.InvariantCulture, $"INSERT INTO {schema}.schema_version (version) VALUES ({migration.Version}) ON CONFLICT DO NOTHING;");
        }

        return script.ToString();
    }
}
