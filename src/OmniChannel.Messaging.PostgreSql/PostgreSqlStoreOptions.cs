namespace OmniChannel.Messaging.PostgreSql;

/// <summary>Represents the settings of the PostgreSQL stores.</summary>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>Gets or sets the Npgsql connection string. It is never logged.</summary>
    /// <value>The default value is <see langword="null"/>; <c>UsePostgreSql</c> sets it.</value>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets the schema the tables live in: lower-case letters, digits and underscores.</summary>
    /// <value>The default value is <c>omnichannel</c>.</value>
    public string SchemaName { get; set; } = "omnichannel";

    /// <summary>
    /// Gets or sets a value indicating whether the package creates and migrates its schema on first use. Safe when several
    /// instances start at once (a PostgreSQL advisory lock serializes them). Turn it off when your team applies
    /// <see cref="PostgreSqlSchema.GetScript"/> itself; the stores then check the schema version and fail with a clear
    /// message when it is behind.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ApplyMigrations { get; set; } = true;

    /// <summary>Gets or sets how often expired rows (unique names, dedupe keys, idempotency keys) are deleted.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how many expired rows one cleanup statement deletes, so cleanup never holds long locks.</summary>
    /// <value>The default value is 1,000.</value>
    public int CleanupBatchSize { get; set; } = 1000;

    /// <summary>
    /// Gets or sets how long an idempotency reservation that was never completed (its process died during the send) is
    /// kept after its lease ended. Until then a retry with its key is told the message may have been sent; after it, the
    /// key is free again. Matches <see cref="InMemoryMessageIdempotencyStore.AbandonedReservationRetention"/>.
    /// </summary>
    /// <value>The default value is 24 hours.</value>
    public TimeSpan AbandonedReservationRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Gets or sets a value indicating whether accepted webhooks are queued in PostgreSQL (an outbox) instead of in
    /// memory: the webhook pipeline stores each webhook, with its dedupe key, before it answers Twilio, and workers on
    /// every instance claim it from there, so a crash after the answer loses nothing and another instance picks the work
    /// up. Costs about three short statements per webhook. The default is <see langword="false"/>.
    /// </summary>
    public bool WebhookOutbox { get; set; }
}
