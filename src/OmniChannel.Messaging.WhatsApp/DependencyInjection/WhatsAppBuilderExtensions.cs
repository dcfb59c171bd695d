using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniChannel.Messaging.WhatsApp;
using OmniChannel.Messaging.WhatsApp.Internal;

namespace OmniChannel.Messaging;

/// <summary>Provides <c>AddWhatsApp</c> on the OmniChannel.Messaging builder.</summary>
public static class WhatsAppBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="IWhatsAppClient"/> for the builder's account (keyed by the account name for named accounts),
    /// with its options validated at start. Services registered before, a user's own <see cref="IWhatsAppClient"/> included, are kept.
    /// </summary>
    /// <param name="builder">The builder from <c>AddOmniChannelMessaging</c>.</param>
    /// <param name="configure">The delegate that sets the options, or <see langword="null"/>.</param>
    /// <param name="configureHttpClient">The delegate that configures the account's HttpClient, or <see langword="null"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static OmniChannelMessagingBuilder AddWhatsApp(
        this OmniChannelMessagingBuilder builder,
        Action<WhatsAppOptions>? configure = null,
        Action<IHttpClientBuilder>? configureHttpClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.TryAddClient<IWhatsAppClient, WhatsAppOptions>(configure, configureHttpClient, static (sp, name) => Create(sp, name), WhatsAppOptionsRules.Check);

        return builder;
    }

    private static WhatsAppClient Create(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<WhatsAppOptions>>().Get(name);
        var timeProvider = services.GetRequiredService<TimeProvider>();
        var suppressionList = services.GetRequiredService<ISuppressionList>();
        var sender = new TwilioMessageSender(
            services.GetRequiredService<ITwilioClientFactory>().GetClient(name),
            suppressionList,
            services.GetRequiredService<IMessageIdempotencyStore>(),
            timeProvider,
            services.GetRequiredService<ILoggerFactory>().CreateLogger("OmniChannel.Messaging.WhatsApp"))
        {
            IdempotencyKeyLifetime = options.IdempotencyKeyLifetime,
            IdempotencyWaitTimeout = options.IdempotencyWaitTimeout,
        };
        return new WhatsAppClient(
            sender,
            options,
            services.GetRequiredService<IPhoneNumberNormalizer>(),
            services.GetRequiredService<CustomerServiceWindow>(),
            services.GetRequiredService<ILastInboundStore>(),
            services.GetRequiredService<IConsentStore>(),
            suppressionList,
            timeProvider);
    }
}
