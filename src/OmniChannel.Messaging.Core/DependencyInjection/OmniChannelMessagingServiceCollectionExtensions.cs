using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OmniChannel.Messaging;
using OmniChannel.Messaging.Sending.Internal;
using OmniChannel.Messaging.Transport.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Provides the <c>AddOmniChannelMessaging</c> registration methods.</summary>
public static class OmniChannelMessagingServiceCollectionExtensions
{
    /// <summary>Registers the default Twilio account with options from code, configuration set elsewhere, or the TWILIO_* environment variables.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder the channel packages extend.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static OmniChannelMessagingBuilder AddOmniChannelMessaging(this IServiceCollection services) => Register(services, Options.Options.DefaultName);

    /// <summary>Registers the default Twilio account with options set in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">The delegate that sets options.</param>
    /// <returns>A builder the channel packages extend.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static OmniChannelMessagingBuilder AddOmniChannelMessaging(this IServiceCollection services, Action<OmniChannelMessagingOptions> configure) =>
        AddOmniChannelMessaging(services, Options.Options.DefaultName, configure);

    /// <summary>Registers the default Twilio account with options bound from configuration; an unknown key fails validation.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section, for example <c>Configuration.GetSection("OmniChannel")</c>.</param>
    /// <returns>A builder the channel packages extend.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    public static OmniChannelMessagingBuilder AddOmniChannelMessaging(this IServiceCollection services, IConfiguration configuration) =>
        AddOmniChannelMessaging(services, Options.Options.DefaultName, configuration);

    /// <summary>Registers a named Twilio account (a subaccount or a tenant's account) with options set in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The account's name; resolve its client with <see cref="ITwilioClientFactory.GetClient"/> or as a keyed service.</param>
    /// <param name="configure">The delegate that sets options.</param>
    /// <returns>A builder the channel packages extend.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static OmniChannelMessagingBuilder AddOmniChannelMessaging(this IServiceCollection services, string name, Action<OmniChannelMessagingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = Register(services, name);
        services.Configure(name, configure);
        return builder;
    }

    /// <summary>Registers a named Twilio account with options bound from configuration; an unknown key fails validation.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The account's name.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <returns>A builder the channel packages extend.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static OmniChannelMessagingBuilder AddOmniChannelMessaging(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = Register(services, name);
        services.AddOptions<OmniChannelMessagingOptions>(name).Bind(configuration, binder => binder.ErrorOnUnknownConfiguration = true);
        return builder;
    }

    private static OmniChannelMessagingBuilder Register(IServiceCollection services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        var builder = new OmniChannelMessagingBuilder(services, name);
        if (services.Any(d => d.ServiceType == typeof(TwilioAccountRegistration) && d.ImplementationInstance is TwilioAccountRegistration r && r.Name == name))
        {
            return builder;
        }

        services.AddSingleton(new TwilioAccountRegistration(name));

        services.AddLogging();
        services.AddMetrics();
        services.AddHttpClient();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TwilioTelemetry>();
        services.TryAddSingleton<ITwilioClientFactory, TwilioClientFactory>();
        services.TryAddSingleton<IPhoneNumberNormalizer>(PhoneNumberNormalizer.Default);

        // Policies and their in-memory stores; replace a store (for example with the PostgreSQL package) to share it across instances.
        services.TryAddSingleton(OptOutClassifier.Default);
        services.TryAddSingleton<CustomerServiceWindow>();
        services.TryAddSingleton<ISuppressionList, InMemorySuppressionList>();
        services.TryAddSingleton<ILastInboundStore, InMemoryLastInboundStore>();
        services.TryAddSingleton<IConversationUniqueNameStore, InMemoryConversationUniqueNameStore>();
        services.TryAddSingleton<IMessageIdempotencyStore, InMemoryMessageIdempotencyStore>();
        services.TryAddSingleton<IConsentStore, InMemoryConsentStore>();
        services.TryAddSingleton<IWebhookDedupeStore, InMemoryWebhookDedupeStore>();
        services.TryAddSingleton<IMessageStatusStore, InMemoryMessageStatusStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OmniChannelMessagingOptions>, OmniChannelMessagingOptionsAttributeValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OmniChannelMessagingOptions>, OmniChannelMessagingOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OmniChannelMessagingOptions>, EnvironmentCredentialsFallback>());

        services.AddOptions<OmniChannelMessagingOptions>(name).ValidateOnStart();
        services.AddHttpClient(builder.HttpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler(static () => new SendProbeHandler());

        if (name.Length == 0)
        {
            services.TryAddSingleton(sp => sp.GetRequiredService<ITwilioClientFactory>().GetClient(string.Empty));
        }

        services.TryAddKeyedSingleton(name, static (sp, key) => sp.GetRequiredService<ITwilioClientFactory>().GetClient((string)key!));
        return builder;
    }
}
