using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.AspNetCore.Internal;

namespace OmniChannel.Messaging.AspNetCore.Tests.Internal;

public sealed class WebhookHandlerRegistrationsTests
{
    [Fact]
    public void Singletons_EveryHandlerASingleton_ResolvedOnceInRegistrationOrder()
    {
        var (registrations, _) = Build(s =>
        {
            s.AddSingleton<IInboundMessageHandler, FirstHandler>();
            s.AddSingleton<IInboundMessageHandler>(new SecondHandler());
        });

        var handlers = registrations.Singletons<IInboundMessageHandler>().Value;

        Assert.NotNull(handlers);
        Assert.Collection(handlers, h => Assert.IsType<FirstHandler>(h), h => Assert.IsType<SecondHandler>(h));
    }

    [Theory]
    [InlineData(ServiceLifetime.Scoped)]
    [InlineData(ServiceLifetime.Transient)]
    public void Singletons_AnyHandlerNotASingleton_NullSoHandlersAreResolvedPerWebhook(ServiceLifetime lifetime)
    {
        var (registrations, _) = Build(s =>
        {
            s.AddSingleton<IInboundMessageHandler, FirstHandler>();
            s.Add(new ServiceDescriptor(typeof(IInboundMessageHandler), typeof(SecondHandler), lifetime));
        });

        Assert.Null(registrations.Singletons<IInboundMessageHandler>().Value);
    }

    [Fact]
    public void Singletons_NoHandlers_EmptyNotNull()
    {
        var (registrations, _) = Build(_ => { });

        Assert.Empty(registrations.Singletons<IStatusCallbackHandler>().Value!);
    }

    [Fact]
    public void Singletons_KeyedScopedHandler_IgnoredLikeGetServicesIgnoresIt()
    {
        var (registrations, _) = Build(s =>
        {
            s.AddSingleton<IInboundMessageHandler, FirstHandler>();
            s.AddKeyedScoped<IInboundMessageHandler, SecondHandler>("tenant-a");
        });

        Assert.IsType<FirstHandler>(Assert.Single(registrations.Singletons<IInboundMessageHandler>().Value!));
    }

    [Fact]
    public void Singletons_NothingResolvedBeforeTheFirstUse()
    {
        var (registrations, _) = Build(s => s.AddSingleton<IInboundMessageHandler>(_ => throw new InvalidOperationException("resolved too early")));

        var lazy = registrations.Singletons<IInboundMessageHandler>();

        Assert.False(lazy.IsValueCreated);
        Assert.Throws<InvalidOperationException>(() => lazy.Value);
    }

    private static (WebhookHandlerRegistrations Registrations, ServiceProvider Provider) Build(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        configure(services);
        var provider = services.BuildServiceProvider();
        return (new WebhookHandlerRegistrations(services, provider), provider);
    }

    private sealed class FirstHandler : IInboundMessageHandler
    {
        public Task HandleAsync(InboundMessage message, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class SecondHandler : IInboundMessageHandler
    {
        public Task HandleAsync(InboundMessage message, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
