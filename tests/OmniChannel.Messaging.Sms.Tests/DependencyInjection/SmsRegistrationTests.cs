using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NSubstitute;

namespace OmniChannel.Messaging.Sms.Tests.DependencyInjection;

public sealed class SmsRegistrationTests
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
    public void AddSms_UserClientRegisteredFirst_Wins()
    {
        var mine = Substitute.For<ISmsClient>();

        using var provider = Build(s =>
        {
            s.AddSingleton(mine);
            s.AddOmniChannelMessaging(Account).AddSms(o => o.From = "+14155551234");
        });

        Assert.Same(mine, provider.GetRequiredService<ISmsClient>());
    }

    [Fact]
    public void AddSms_CalledTwice_RegistersOnce()
    {
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(Account).AddSms(o => o.From = "+14155551234").AddSms();

        Assert.Single(services, d => d.ServiceType == typeof(ISmsClient) && !d.IsKeyedService);
    }

    [Fact]
    public void AddSms_NamedAccount_RegistersKeyedClient()
    {
        using var provider = Build(s =>
        {
            s.AddOmniChannelMessaging(Account).AddSms(o => o.From = "+14155551234");
            s.AddOmniChannelMessaging("tenant-b", Account).AddSms(o => o.MessagingServiceSid = "MG0123456789abcdef0123456789abcdef");
        });

        Assert.NotSame(provider.GetRequiredService<ISmsClient>(), provider.GetRequiredKeyedService<ISmsClient>("tenant-b"));
    }

    [Theory]
    [InlineData("MG123", null, "MG123")]
    [InlineData(null, null, "needs a sender")]
    [InlineData(null, "whatsapp:+14155238886", "WhatsApp address")]
    public void AddSms_InvalidOptions_FailAtStart(string? serviceSid, string? from, string expected)
    {
        using var provider = Build(s => s.AddOmniChannelMessaging(Account).AddSms(o =>
        {
            o.MessagingServiceSid = serviceSid;
            o.From = from;
        }));

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSms_InvalidMaxConcurrency_FailsAtStart()
    {
        using var provider = Build(s => s.AddOmniChannelMessaging(Account).AddSms(o =>
        {
            o.From = "+14155551234";
            o.MaxConcurrency = 0;
        }));

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("MaxConcurrency", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOmniChannelMessaging_RegistersIdempotencyAndConsentStores()
    {
        using var provider = Build(s => s.AddOmniChannelMessaging(Account));

        Assert.IsType<InMemoryMessageIdempotencyStore>(provider.GetRequiredService<IMessageIdempotencyStore>());
        Assert.IsType<InMemoryConsentStore>(provider.GetRequiredService<IConsentStore>());
    }
}
