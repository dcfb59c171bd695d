using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace OmniChannel.Messaging.Sms.Tests.Conformance;

/// <summary>
/// Drives the real SMS client against Prism serving the strict copy of Twilio's 2010 API spec: every request shape the
/// client sends must be accepted (201), since the strict spec answers 422 to an unknown, misspelt or malformed field.
/// Needs the Prism mock that ./build.sh test starts (OMNICHANNEL_PRISM_API_URL).
/// </summary>
public sealed class SmsPrismConformanceTests
{
    private const string ServiceSid = "MG0123456789abcdef0123456789abcdef";

    public static TheoryData<string> ShapeNames() => new(Shapes.Keys);

    private static readonly Dictionary<string, SmsMessage> Shapes = new(StringComparer.Ordinal)
    {
        ["sms.from"] = new SmsMessage("+14155550100", "Your code is 123456") { From = "+14155551234" },
        ["sms.service.callback"] = new SmsMessage("+14155550100", "Hi") { StatusCallback = new Uri("https://example.com/twilio/status?tenant=acme") },
        ["sms.options"] = new SmsMessage("+14155550100", "Hi https://example.com/x")
        {
            ValidityPeriod = TimeSpan.FromMinutes(10),
            ProvideFeedback = true,
            ShortenUrls = true,
            SmartEncoded = true,
        },
        ["sms.scheduled"] = new SmsMessage("+14155550100", "Reminder") { SendAt = TimeProvider.System.GetUtcNow().AddDays(2) },
        ["mms.one"] = new SmsMessage("+14155550100", null) { From = "+14155551234", MediaUrls = [new Uri("https://cdn.example.com/a.jpg")] },
        ["mms.two"] = new SmsMessage("+14155550100", "Photos") { MediaUrls = [new Uri("https://cdn.example.com/a.jpg"), new Uri("https://cdn.example.com/b.png")] },
        ["sms.idempotent"] = new SmsMessage("+14155550100", "Once") { IdempotencyKey = "conformance-" + Guid.NewGuid().ToString("N") },
    };

    [Theory]
    [MemberData(nameof(ShapeNames))]
    public async Task SendAsync_Prism_AcceptsEveryShape(string name)
    {
        var api = Environment.GetEnvironmentVariable("OMNICHANNEL_PRISM_API_URL");
        Assert.False(string.IsNullOrEmpty(api),
            "The Prism mock is not running (OMNICHANNEL_PRISM_API_URL is not set). Run ./build.sh test: it fetches Twilio's OpenAPI specs, derives the strict copies and starts Prism.");
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(o =>
            {
                o.AccountSid = "AC0123456789abcdef0123456789abcdef";
                o.AuthToken = "prism-does-not-check-credentials";
                o.ApiBaseUrl = new Uri(api!);
                o.UseEnvironmentVariables = false;
                o.Retry.MaxAttempts = 1;
            })
            .AddSms(o => o.MessagingServiceSid = ServiceSid);
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<ISmsClient>().SendAsync(Shapes[name]);

        Assert.True(result.Outcome == MessageSendOutcome.Accepted && result.HttpStatus == HttpStatusCode.Created,
            $"Prism refused the SMS client's '{name}' request: {result}");
        Assert.StartsWith("SM", result.MessageSid, StringComparison.Ordinal);
    }
}
