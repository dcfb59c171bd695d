using System.Globalization;

namespace OmniChannel.Messaging.PostgreSql.Internal;

/// <summary>One schema change; the SQL is idempotent so a half-applied script can be run again.</summary>
internal sealed record Migration(int Version, string Description, Func<string, string> Sql);

/// <summary>The versioned schema. Append new migrations; never edit a shipped one.</summary>
internal static class Migrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "suppression list, last-inbound times, conversation unique names", s => $"""
            CREATE TABLE IF NOT EXISTS {s}.suppressions (
                channel text NOT NULL,
                recipient text NOT NULL,
                scope text NOT NULL,
                suppressed_at timestamptz NOT NULL,
                PRIMARY KEY (channel, recipient, scope));
            CREATE TABLE IF NOT EXISTS {s}.last_inbound (
                sender text NOT NULL,
                user_address text NOT NULL,
                last_inbound_at timestamptz NULL,
                free_entry_opened_at timestamptz NULL,
                PRIMARY KEY (sender, user_address));
            CREATE TABLE IF NOT EXISTS {s}.conversation_unique_names (
                key text PRIMARY KEY,
                conversation_sid text NOT NULL,
                expires_at timestamptz NOT NULL);
            CREATE INDEX IF NOT EXISTS conversation_unique_names_expires_at ON {s}.conversation_unique_names (expires_at);
            """),
        new(2, "message idempotency keys, consent records, webhook dedupe keys, folded message statuses", s => $"""
            CREATE TABLE IF NOT EXISTS {s}.message_idempotency (
                key text PRIMARY KEY,
                is_completed boolean NOT NULL,
                created_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL,
                outcome integer NOT NULL,
                recipient text NULL,
                message_sid text NULL,
                status text NULL,
                content_sid text NULL);
            CREATE INDEX IF NOT EXISTS message_idempotency_expires_at ON {s}.message_idempotency (expires_at) WHERE is_completed;
            CREATE TABLE IF NOT EXISTS {s}.consents (
                channel text NOT NULL,
                recipient text NOT NULL,
                granted_at timestamptz NOT NULL,
                source text NULL,
                proof_text text NULL,
                revoked_at timestamptz NULL,
                PRIMARY KEY (channel, recipient));
            CREATE TABLE IF NOT EXISTS {s}.webhook_dedupe (
                key text PRIMARY KEY,
                expires_at timestamptz NOT NULL);
            CREATE INDEX IF NOT EXISTS webhook_dedupe_expires_at ON {s}.webhook_dedupe (expires_at);
            CREATE TABLE IF NOT EXISTS {s}.message_status (
                message_sid text PRIMARY KEY,
                status text NULL,
                error_code integer NULL,
                occurred_at timestamptz NULL,
                updated_at timestamptz NULL);
            """),
        new(3, "webhook outbox", s => $"""
            CREATE TABLE IF NOT EXISTS {s}.webhook_outbox (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                kind text NOT NULL,
                partition_key text NOT NULL,
                parameters text[] NOT NULL,
                received_at timestamptz NOT NULL,
                dedupe_key text NULL,
                enqueued_at timestamptz NOT NULL,
                lease_id uuid NULL,
                leased_until timestamptz NULL,
                attempts integer NOT NULL DEFAULT 0);
            CREATE INDEX IF NOT EXISTS webhook_outbox_partition ON {s}.webhook_outbox (partition_key, id);
            CREATE INDEX IF NOT EXISTS webhook_outbox_leased ON {s}.webhook_outbox (leased_until) WHERE leased_until IS NOT NULL;
            """),
        new(4, "WhatsApp window closed by Twilio (63016), shared by every instance", s => $"""
            ALTER TABLE {s}.last_inbound ADD COLUMN IF NOT EXISTS window_closed_through timestamptz NULL;
            """),
        new(5, "idempotency records keep the request fingerprint and the whole first result", s => $"""
            ALTER TABLE {s}.message_idempotency
                ADD COLUMN IF NOT EXISTS request_fingerprint text NULL,
                ADD COLUMN IF NOT EXISTS segments integer NULL,
                ADD COLUMN IF NOT EXISTS price numeric NULL,
                ADD COLUMN IF NOT EXISTS price_unit text NULL,
                ADD COLUMN IF NOT EXISTS error_code integer NULL,
                ADD COLUMN IF NOT EXISTS error_message text NULL,
                ADD COLUMN IF NOT EXISTS http_status integer NULL;
            """),
        new(6, "index for the cleanup of abandoned (never completed) idempotency reservations", s => $"""
            CREATE INDEX IF NOT EXISTS message_idempotency_pending_expires_at ON {s}.message_idempotency (expires_at) WHERE NOT is_completed;
            """),
    ];

    public static string Bootstrap(string schema) => $"""
        CREATE SCHEMA IF NOT EXISTS {schema};
        CREATE TABLE IF NOT EXISTS {schema}.schema_version (
            version integer PRIMARY KEY,
            applied_at timestamptz NOT NULL DEFAULT now());
        """;

    /// <summary>A stable 64-bit key for pg_advisory_xact_lock, derived from the schema name (FNV-1a).</summary>
    public static long LockKey(string schema)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in "OmniChannel.Messaging:" + schema)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return unchecked((long)hash);
    }

    public static string Describe(int version) => version.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Checks and quotes identifiers; user input never reaches SQL text any other way.</summary>
internal static class SqlNames
{
    public static string Schema(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > 63 || !(char.IsAsciiLetterLower(name[0]) || name[0] == '_') || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            throw new ArgumentException($"The schema name '{name}' must be a lower-case identifier: letters, digits and underscores, at most 63 characters, not starting with a digit.", nameof(name));
        }

        return "\"" + name + "\"";
    }
}
