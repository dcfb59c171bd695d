using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniChannel.Messaging.Sms;
using OmniChannel.Messaging.Sms.Internal;

namespace OmniChannel.Messaging;

/// <summary>Provides <c>AddSms</c> on the OmniChannel.Messaging builder.</summary>
public static class SmsBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="ISmsClient"/> for the builder's account (keyed by the account name for named accounts), with
    /// its options validated at start. Services registered before, a user's own <see cref="ISmsClient"/> included, are kept.
    /// </summary>
    /// <param name="builder">The builder from <c>AddOmniChannelMessaging</c>.</param>
    /// <param name="configure">The delegate that sets the options, or <see langword="null"/>.</param>
    /// <param name="configureHttpClient">The delegate that configures the account's HttpClient, or <see langword="null"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static OmniChannelMessagingBuilder AddSms(
        this OmniChannelMessagingBuilder builder,
        Action<SmsOptions>? configure = null,
        Action<IHttpClientBuilder>? configureHttpClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.TryAddClient<ISmsClient, SmsOptions>(configure, configureHttpClient, static (sp, name) => Create(sp, name), SmsOptionsRules.Check);

        return builder;
    }

    private static SmsClient Create(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<SmsOptions>>().Get(name);
        var sender = new TwilioMessageSender(
            services.GetRequiredService<ITwilioClientFactory>().GetClient(name),
            services.GetRequiredService<ISuppressionList>(),
            services.GetRequiredService<IMessageIdempotencyStore>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger("OmniChannel.Messaging.Sms"))
        {
            IdempotencyKeyLifetime = options.IdempotencyKeyLifetime,
            IdempotencyWaitTimeout = options.IdempotencyWaitTimeout,
        };
        return new SmsClient(sender, options, services.GetRequiredService<IPhoneNumberNormalizer>());
    }
}
