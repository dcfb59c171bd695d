using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace OmniChannel.Messaging.WhatsApp.Tests.Conformance;

/// <summary>
/// Drives the real WhatsApp client against Prism serving the strict copy of Twilio's 2010 API spec: every request shape
/// the client sends (session text, media, template with and without variables, through a Messaging Service) must be
/// accepted. Needs the Prism mock that ./build.sh test starts (OMNICHANNEL_PRISM_API_URL).
/// </summary>
public sealed class WhatsAppPrismConformanceTests
{
    private const string User = "whatsapp:+447700900123";
    private const string Sender = "whatsapp:+14155238886";
    private const string ContentSid = "HX0123456789abcdef0123456789abcdef";

    private static readonly Dictionary<string, (WhatsAppMessage Message, string? ServiceSid)> Shapes = new(StringComparer.Ordinal)
    {
        ["whatsapp.session"] = (new WhatsAppMessage(User, "Thanks for writing") { StatusCallback = new Uri("https://example.com/twilio/status") }, null),
        ["whatsapp.media"] = (new WhatsAppMessage(User, "Your invoice") { Media = [new WhatsAppMedia(new Uri("https://cdn.example.com/invoice.pdf"))] }, null),
        ["whatsapp.template"] = (new WhatsAppMessage(User) { Template = new WhatsAppTemplate(ContentSid, "Ada", "10492") }, null),
        ["whatsapp.template.noVariables"] = (new WhatsAppMessage(User) { Template = new WhatsAppTemplate(ContentSid) }, null),
        ["whatsapp.template.service"] = (new WhatsAppMessage(User) { Template = new WhatsAppTemplate(ContentSid, "Ada"), IdempotencyKey = "c-" + Guid.NewGuid().ToString("N") }, "MG0123456789abcdef0123456789abcdef"),
        ["whatsapp.template.scheduled"] = (new WhatsAppMessage(User)
        {
            Template = new WhatsAppTemplate(ContentSid, "Ada"),
            SendAt = TimeProvider.System.GetUtcNow().AddDays(2),
            ValidityPeriod = TimeSpan.FromHours(1),
        }, "MG0123456789abcdef0123456789abcdef"),
        ["whatsapp.session.service"] = (new WhatsAppMessage(User, "Hi"), "MG0123456789abcdef0123456789abcdef"),
    };

    public static TheoryData<string> ShapeNames() => new(Shapes.Keys);

    [Theory]
    [MemberData(nameof(ShapeNames))]
    public async Task SendAsync_Prism_AcceptsEveryShape(string name)
    {
        var api = Environment.GetEnvironmentVariable("OMNICHANNEL_PRISM_API_URL");
        Assert.False(string.IsNullOrEmpty(api),
            "The Prism mock is not running (OMNICHANNEL_PRISM_API_URL is not set). Run ./build.sh test: it fetches Twilio's OpenAPI specs, derives the strict copies and starts Prism.");
        var (message, serviceSid) = Shapes[name];
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(o =>
            {
                o.AccountSid = "AC0123456789abcdef0123456789abcdef";
                o.AuthToken = "prism-does-not-check-credentials";
                o.ApiBaseUrl = new Uri(api!);
                o.UseEnvironmentVariables = false;
                o.Retry.MaxAttempts = 1;
            })
            .AddWhatsApp(o =>
            {
                o.From = Sender;
                o.MessagingServiceSid = serviceSid;
                o.EnforceCustomerServiceWindow = false;
            });
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IWhatsAppClient>().SendAsync(message);

        Assert.True(result.Outcome == MessageSendOutcome.Accepted && result.HttpStatus == HttpStatusCode.Created,
            $"Prism refused the WhatsApp client's '{name}' request: {result}");
    }
}
