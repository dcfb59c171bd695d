using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace OmniChannel.Messaging.Core.Tests.Phone;

public sealed class PhoneNumberNormalizerRegistrationTests
{
    [Fact]
    public void AddOmniChannelMessaging_NoNormalizerRegistered_ResolvesBuiltIn()
    {
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.Same(PhoneNumberNormalizer.Default, provider.GetRequiredService<IPhoneNumberNormalizer>());
    }

    [Fact]
    public void AddOmniChannelMessaging_UserNormalizerRegisteredFirst_UserWins()
    {
        var custom = Substitute.For<IPhoneNumberNormalizer>();
        var services = new ServiceCollection();
        services.AddSingleton(custom);
        services.AddOmniChannelMessaging();
        services.AddOmniChannelMessaging();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.Same(custom, provider.GetRequiredService<IPhoneNumberNormalizer>());
        Assert.Single(services, d => d.ServiceType == typeof(IPhoneNumberNormalizer));
    }
}
