using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OmniChannel.Messaging.PostgreSql;
using OmniChannel.Messaging.PostgreSql.Internal;
using OmniChannel.Messaging.PostgreSql.Stores;

namespace OmniChannel.Messaging;

/// <summary>Provides <c>UsePostgreSql</c> on the OmniChannel.Messaging builder.</summary>
public static class PostgreSqlBuilderExtensions
{
    /// <summary>
    /// Replaces the in-memory stores with PostgreSQL ones shared by every instance of the app: suppression list,
    /// last-inbound times, conversation unique names, message idempotency keys, consent records, webhook dedupe keys and
    /// folded message statuses; with <see cref="PostgreSqlStoreOptions.WebhookOutbox"/>, the webhook queue too. The schema
    /// is created and migrated on first use.
    /// </summary>
    /// <param name="builder">The builder from <c>AddOmniChannelMessaging</c>.</param>
    /// <param name="connectionString">The Npgsql connection string; it is never logged.</param>
    /// <param name="configure">The delegate that sets further options, or <see langword="null"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, or the schema name is not a plain identifier.</exception>
    public static OmniChannelMessagingBuilder UsePostgreSql(this OmniChannelMessagingBuilder builder, string connectionString, Action<PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new PostgreSqlStoreOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        SqlNames.Schema(options.SchemaName);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CleanupBatchSize, 1, nameof(options.CleanupBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.AbandonedReservationRetention, TimeSpan.Zero, nameof(options.AbandonedReservationRetention));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CleanupInterval, TimeSpan.FromSeconds(1), nameof(options.CleanupInterval));

        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(PostgreSqlDatabase)))
        {
            return builder;
        }

        services.AddSingleton(options);
        services.AddSingleton(sp => new PostgreSqlDatabase(options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PostgreSqlDatabase>>()));

        // The user asked for PostgreSQL explicitly, so these replace the in-memory defaults AddOmniChannelMessaging added.
        services.Replace(ServiceDescriptor.Singleton<ISuppressionList, PostgreSqlSuppressionList>());
        services.Replace(ServiceDescriptor.Singleton<ILastInboundStore, PostgreSqlLastInboundStore>());
        services.Replace(ServiceDescriptor.Singleton<IConversationUniqueNameStore, PostgreSqlConversationUniqueNameStore>());
        services.Replace(ServiceDescriptor.Singleton<IMessageIdempotencyStore, PostgreSqlMessageIdempotencyStore>());
        services.Replace(ServiceDescriptor.Singleton<IConsentStore, PostgreSqlConsentStore>());
        services.Replace(ServiceDescriptor.Singleton<IWebhookDedupeStore, PostgreSqlWebhookDedupeStore>());
        services.Replace(ServiceDescriptor.Singleton<IMessageStatusStore, PostgreSqlMessageStatusStore>());
        if (options.WebhookOutbox)
        {
            services.Replace(ServiceDescriptor.Singleton<IWebhookOutbox, PostgreSqlWebhookOutbox>());
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ExpiredRowCleanup>());
        return builder;
    }
}
