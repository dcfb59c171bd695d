using Microsoft.Extensions.DependencyInjection;
using static OmniChannel.Messaging.Testing.Shared.ChannelRegistration;

namespace OmniChannel.Messaging.Sms.Tests.DependencyInjection;

public sealed class SmsRegistrationTests
{
    [Fact]
    public void AddSms_UserClientRegisteredFirst_Wins() =>
        AssertUserClientRegisteredFirstWins<ISmsClient>(m => m.AddSms(o => o.From = "+14155551234"));

    [Fact]
    public void AddSms_CalledTwice_RegistersOnce()
    {
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(Account).AddSms(o => o.From = "+14155551234").AddSms();

        Assert.Single(services, d => d.ServiceType == typeof(ISmsClient) && !d.IsKeyedService);
    }

    [Fact]
    public void AddSms_NamedAccount_RegistersKeyedClient() =>
        AssertNamedAccountRegistersKeyedClient<ISmsClient>(
            m => m.AddSms(o => o.From = "+14155551234"),
            m => m.AddSms(o => o.MessagingServiceSid = "MG0123456789abcdef0123456789abcdef"));

    [Theory]
    [InlineData("MG123", null, "MG123")]
    [InlineData(null, null, "needs a sender")]
    [InlineData(null, "whatsapp:+14155238886", "WhatsApp address")]
    public void AddSms_InvalidOptions_FailAtStart(string? serviceSid, string? from, string expected) =>
        AssertFailsAtStart(
            m => m.AddSms(o =>
            {
                o.MessagingServiceSid = serviceSid;
                o.From = from;
            }),
            expected);

    [Fact]
    public void AddSms_InvalidMaxConcurrency_FailsAtStart() =>
        AssertFailsAtStart(
            m => m.AddSms(o =>
            {
                o.From = "+14155551234";
                o.MaxConcurrency = 0;
            }),
            "MaxConcurrency");

    [Fact]
    public void AddOmniChannelMessaging_RegistersIdempotencyAndConsentStores()
    {
        using var provider = Build(s => s.AddOmniChannelMessaging(Account));

        Assert.IsType<InMemoryMessageIdempotencyStore>(provider.GetRequiredService<IMessageIdempotencyStore>());
        Assert.IsType<InMemoryConsentStore>(provider.GetRequiredService<IConsentStore>());
    }
}
