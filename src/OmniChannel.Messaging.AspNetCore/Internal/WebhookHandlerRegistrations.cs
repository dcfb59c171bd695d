using Microsoft.Extensions.DependencyInjection;

namespace OmniChannel.Messaging.AspNetCore.Internal;

/// <summary>
/// Knows how the app registered its webhook handlers (the service collection is read-only once the provider is built),
/// so the processor can skip the per-webhook DI scope when every handler of a kind is a singleton.
/// </summary>
internal sealed class WebhookHandlerRegistrations(IServiceCollection services, IServiceProvider provider)
{
    /// <summary>
    /// Gets the handlers of <typeparamref name="THandler"/>, resolved once on first use, when every registration is a
    /// singleton; the lazy value is <see langword="null"/> when any is scoped or transient (resolve them per webhook).
    /// </summary>
    public Lazy<THandler[]?> Singletons<THandler>()
        where THandler : class =>
        new(() => services.Where(d => d.ServiceType == typeof(THandler) && !d.IsKeyedService).All(d => d.Lifetime == ServiceLifetime.Singleton)
            ? [.. provider.GetServices<THandler>()]
            : null);
}
