using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NSubstitute;

namespace OmniChannel.Messaging.WhatsApp.Tests.DependencyInjection;

public sealed class WhatsAppRegistrationTests
{
    private static ServiceProvider Build(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        configure(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static void Account(OmniChannelMessagingOptions o)
    {
        o.AccountSid = "AC0123456789abcdef0123456789abcdef";
        o.AuthToken = "token";
        o.UseEnvironmentVariables = false;
    }

    [Fact]
    public void AddWhatsApp_UserClientRegisteredFirst_Wins()
    {
        var mine = Substitute.For<IWhatsAppClient>();

        using var provider = Build(s =>
        {
            s.AddSingleton(mine);
            s.AddOmniChannelMessaging(Account).AddWhatsApp(o => o.From = "whatsapp:+14155238886");
        });

        Assert.Same(mine, provider.GetRequiredService<IWhatsAppClient>());
    }

    [Fact]
    public void AddWhatsApp_NamedAccount_RegistersKeyedClient()
    {
        using var provider = Build(s =>
        {
            s.AddOmniChannelMessaging(Account).AddWhatsApp(o => o.From = "whatsapp:+14155238886");
            s.AddOmniChannelMessaging("tenant-b", Account).AddWhatsApp(o => o.From = "whatsapp:+14155238887");
        });

        Assert.NotSame(provider.GetRequiredService<IWhatsAppClient>(), provider.GetRequiredKeyedService<IWhatsAppClient>("tenant-b"));
    }

    [Theory]
    [InlineData(null, null, "must be set")]
    [InlineData("+14155238886", null, "'whatsapp:' followed by")]
    [InlineData("whatsapp:+14155238886", "MG1", "MG1")]
    public void AddWhatsApp_InvalidOptions_FailAtStart(string? from, string? serviceSid, string expected)
    {
        using var provider = Build(s => s.AddOmniChannelMessaging(Account).AddWhatsApp(o =>
        {
            o.From = from;
            o.MessagingServiceSid = serviceSid;
        }));

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddWhatsApp_BadMediaLimit_FailsAtStart()
    {
        using var provider = Build(s => s.AddOmniChannelMessaging(Account).AddWhatsApp(o =>
        {
            o.From = "whatsapp:+14155238886";
            o.MediaSizeLimits["jpeg"] = 0;
        }));

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("MediaSizeLimits", exception.Message, StringComparison.Ordinal);
    }
}
