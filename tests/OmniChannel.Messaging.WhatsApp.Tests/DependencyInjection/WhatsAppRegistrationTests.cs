using static OmniChannel.Messaging.Testing.Shared.ChannelRegistration;

namespace OmniChannel.Messaging.WhatsApp.Tests.DependencyInjection;

public sealed class WhatsAppRegistrationTests
{
    [Fact]
    public void AddWhatsApp_UserClientRegisteredFirst_Wins() =>
        AssertUserClientRegisteredFirstWins<IWhatsAppClient>(m => m.AddWhatsApp(o => o.From = "whatsapp:+14155238886"));

    [Fact]
    public void AddWhatsApp_NamedAccount_RegistersKeyedClient() =>
        AssertNamedAccountRegistersKeyedClient<IWhatsAppClient>(
            m => m.AddWhatsApp(o => o.From = "whatsapp:+14155238886"),
            m => m.AddWhatsApp(o => o.From = "whatsapp:+14155238887"));

    [Theory]
    [InlineData(null, null, "must be set")]
    [InlineData("+14155238886", null, "'whatsapp:' followed by")]
    [InlineData("whatsapp:+14155238886", "MG1", "MG1")]
    public void AddWhatsApp_InvalidOptions_FailAtStart(string? from, string? serviceSid, string expected) =>
        AssertFailsAtStart(
            m => m.AddWhatsApp(o =>
            {
                o.From = from;
                o.MessagingServiceSid = serviceSid;
            }),
            expected);

    [Fact]
    public void AddWhatsApp_BadMediaLimit_FailsAtStart() =>
        AssertFailsAtStart(
            m => m.AddWhatsApp(o =>
            {
                o.From = "whatsapp:+14155238886";
                o.MediaSizeLimits["jpeg"] = 0;
            }),
            "MediaSizeLimits");
}
