using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OmniChannel.Messaging.AspNetCore;
using OmniChannel.Messaging.AspNetCore.Internal;

namespace OmniChannel.Messaging;

/// <summary>Provides <c>AddWebhooks</c> on the OmniChannel.Messaging builder.</summary>
public static class WebhooksBuilderExtensions
{
    /// <summary>
    /// Registers the webhook receiver: signature validation with the builder's account auth token (call it on each
    /// account's builder to receive several accounts' webhooks), dedupe, the background queue and worker, and the
    /// <c>omnichannel-webhooks</c> health check. Map the endpoints with <c>app.MapOmniChannelWebhooks("/twilio")</c>.
    /// Services registered before are kept.
    /// </summary>
    /// <param name="builder">The builder from <c>AddOmniChannelMessaging</c>.</param>
    /// <param name="configure">The delegate that sets the receiver's options (shared by every account), or <see langword="null"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static OmniChannelMessagingBuilder AddWebhooks(this OmniChannelMessagingBuilder builder, Action<TwilioWebhookOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (configure is not null)
        {
            services.Configure(configure);
        }

        if (!services.Any(d => d.ServiceType == typeof(WebhookAccountRegistration) && d.ImplementationInstance is WebhookAccountRegistration r && r.Name == builder.Name))
        {
            services.AddSingleton(new WebhookAccountRegistration(builder.Name));
        }

        if (services.Any(d => d.ServiceType == typeof(WebhookQueue)))
        {
            return builder;
        }

        services.AddOptions<TwilioWebhookOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TwilioWebhookOptions>, WebhookOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SignatureKeyRing>();
        services.TryAddSingleton<WebhookMetrics>();
        services.TryAddSingleton<WebhookGate>();
        services.TryAddSingleton<WebhookQueue>();
        services.TryAddSingleton(sp => new WebhookHandlerRegistrations(services, sp));
        services.TryAddSingleton<WebhookProcessor>();
        services.TryAddSingleton<WebhookEndpoints>();
        services.TryAddSingleton<WebhookWorker>();
        services.TryAddSingleton<WebhookOutboxPump>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookWorker>());

        // Registered after the worker, so it stops first: no claim is made once the worker starts draining.
        services.AddHostedService(sp => sp.GetRequiredService<WebhookOutboxPump>());
        services.AddHealthChecks().AddCheck<WebhookHealthCheck>(WebhookHealthCheck.Name, tags: ["omnichannel", "webhooks"]);
        return builder;
    }
}
