using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NSubstitute;

namespace OmniChannel.Messaging.Testing.Shared;

/// <summary>The registration checks every channel package (AddSms, AddWhatsApp, …) must pass, written once.</summary>
internal static class ChannelRegistration
{
    public static ServiceProvider Build(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        configure(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static void Account(OmniChannelMessagingOptions o)
    {
        o.AccountSid = "AC0123456789abcdef0123456789abcdef";
        o.AuthToken = "token";
        o.UseEnvironmentVariables = false;
    }

    /// <summary>A client the app registered before calling the package's AddX is the one resolved.</summary>
    public static void AssertUserClientRegisteredFirstWins<TClient>(Action<OmniChannelMessagingBuilder> addChannel)
        where TClient : class
    {
        var mine = Substitute.For<TClient>();

        using var provider = Build(s =>
        {
            s.AddSingleton(mine);
            addChannel(s.AddOmniChannelMessaging(Account));
        });

        Assert.Same(mine, provider.GetRequiredService<TClient>());
    }

    /// <summary>AddX on a named account registers a keyed client beside the default one.</summary>
    public static void AssertNamedAccountRegistersKeyedClient<TClient>(Action<OmniChannelMessagingBuilder> addDefault, Action<OmniChannelMessagingBuilder> addNamed)
        where TClient : class
    {
        using var provider = Build(s =>
        {
            addDefault(s.AddOmniChannelMessaging(Account));
            addNamed(s.AddOmniChannelMessaging("tenant-b", Account));
        });

        Assert.NotSame(provider.GetRequiredService<TClient>(), provider.GetRequiredKeyedService<TClient>("tenant-b"));
    }

    /// <summary>Options the package's AddX was given fail validation at start, with a message containing <paramref name="expected"/>.</summary>
    public static void AssertFailsAtStart(Action<OmniChannelMessagingBuilder> addChannel, string expected)
    {
        using var provider = Build(s => addChannel(s.AddOmniChannelMessaging(Account)));

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }
}
