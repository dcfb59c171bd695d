using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniChannel.Messaging.Conversations;
using OmniChannel.Messaging.Conversations.Internal;

namespace OmniChannel.Messaging;

/// <summary>Provides <c>AddConversations</c> on the OmniChannel.Messaging builder.</summary>
public static class ConversationsBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="IConversationsClient"/> and <see cref="InboundConversationRouter"/> for the builder's account
    /// (keyed by the account name for named accounts). Services registered before are kept.
    /// </summary>
    /// <param name="builder">The builder from <c>AddOmniChannelMessaging</c>.</param>
    /// <param name="configure">The delegate that sets the options, or <see langword="null"/>.</param>
    /// <param name="configureHttpClient">The delegate that configures the account's HttpClient, or <see langword="null"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static OmniChannelMessagingBuilder AddConversations(
        this OmniChannelMessagingBuilder builder,
        Action<ConversationsOptions>? configure = null,
        Action<IHttpClientBuilder>? configureHttpClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.TryAddClient<IConversationsClient, ConversationsOptions>(configure, configureHttpClient, static (sp, name) => Create(sp, name), ConversationsOptionsRules.Check))
        {
            if (builder.Name.Length == 0)
            {
                builder.Services.TryAddSingleton(sp => new InboundConversationRouter(sp.GetRequiredService<IConversationsClient>(), sp.GetRequiredService<IPhoneNumberNormalizer>(), sp.GetRequiredService<TimeProvider>()));
            }

            builder.Services.TryAddKeyedSingleton(builder.Name, static (sp, key) => new InboundConversationRouter(sp.GetRequiredKeyedService<IConversationsClient>(key), sp.GetRequiredService<IPhoneNumberNormalizer>(), sp.GetRequiredService<TimeProvider>()));
        }

        return builder;
    }

    private static ConversationsClient Create(IServiceProvider services, string name) => new ConversationsClient(
        services.GetRequiredService<ITwilioClientFactory>().GetClient(name),
        services.GetRequiredService<IOptionsMonitor<ConversationsOptions>>().Get(name),
        services.GetRequiredService<IPhoneNumberNormalizer>(),
        services.GetRequiredService<IConversationUniqueNameStore>(),
        services.GetRequiredService<TimeProvider>(),
        services.GetRequiredService<ILoggerFactory>().CreateLogger("OmniChannel.Messaging.Conversations"));
}
