using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace OmniChannel.Messaging.Testing.Tests.Conformance;

/// <summary>What came back on the wire for one request.</summary>
internal sealed record WireResult(int Status, string Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>
    /// Gets a value indicating whether Prism accepted the request: a 2xx, or a 500 whose violations all concern the
    /// response (the spec's own examples break its response schemas on some list GETs; the request was fine).
    /// </summary>
    public bool IsAcceptedByPrism
    {
        get
        {
            if (IsSuccess)
            {
                return true;
            }

            if (Status != 500)
            {
                return false;
            }

            try
            {
                using var document = JsonDocument.Parse(Body);
                return document.RootElement.TryGetProperty("validation", out var violations) && violations.GetArrayLength() > 0
                    && violations.EnumerateArray().All(v => v.GetProperty("location")[0].GetString() == "response");
            }
            catch (JsonException)
            {
                return false;
            }
        }
    }

    public override string ToString() => $"HTTP {Status}: {(Body.Length > 1500 ? Body[..1500] + "…" : Body)}";
}

/// <summary>Sends a <see cref="TwilioRequest"/> through the real SDK client and captures the raw answer.</summary>
internal static class ConformanceTargets
{
    public const string PrismAccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string ConversationsVariable = "OMNICHANNEL_PRISM_CONVERSATIONS_URL";
    public const string ApiVariable = "OMNICHANNEL_PRISM_API_URL";

    public static (Uri Conversations, Uri Api) RequirePrism()
    {
        var conversations = Environment.GetEnvironmentVariable(ConversationsVariable);
        var api = Environment.GetEnvironmentVariable(ApiVariable);
        if (string.IsNullOrEmpty(conversations) || string.IsNullOrEmpty(api))
        {
            Assert.Fail($"The Prism mocks are not running ({ConversationsVariable} / {ApiVariable} are not set). " +
                "Run ./build.sh test: it fetches Twilio's OpenAPI specs, derives the strict copies and starts Prism for these tests.");
        }

        return (new Uri(conversations!), new Uri(api!));
    }

    public static ShapeContext PrismContext() => new(
        PrismAccountSid,
        "IS0123456789abcdef0123456789abcdef",
        "CH0123456789abcdef0123456789abcdef",
        "t_acme_case_10492",
        "SM0123456789abcdef0123456789abcdef",
        "HX0123456789abcdef0123456789abcdef",
        "case-" + Guid.NewGuid().ToString("N"));

    public static Task<WireResult> SendToPrismAsync(RequestShape shape)
    {
        var (conversations, api) = RequirePrism();
        return SendAsync(o =>
        {
            o.AccountSid = PrismAccountSid;
            o.AuthToken = "prism-does-not-check-credentials";
            o.ApiBaseUrl = api;
            o.ConversationsBaseUrl = conversations;
            o.UseEnvironmentVariables = false;
        }, shape.Build(PrismContext()));
    }

    /// <summary>Prepares what the shape refers to on a fresh emulator (a conversation, a message, a template, an open WhatsApp window), then sends it.</summary>
    public static async Task<WireResult> SendToEmulatorAsync(RequestShape shape)
    {
        await using var twilio = await TwilioEmulator.StartAsync();
        using var http = EmulatorClient.Raw(twilio);
        var uniqueName = "t_acme_case_" + Guid.NewGuid().ToString("N")[..8];
        var conversation = (await http.PostAsync("/v1/Conversations", ("UniqueName", uniqueName))).Body.Str("sid");
        var message = (await http.PostAsync($"/2010-04-01/Accounts/{twilio.AccountSid}/Messages.json", ("To", "+14155550199"), ("From", RequestShapes.SmsSender), ("Body", "seed"))).Body.Str("sid");
        twilio.RecordInbound(RequestShapes.WhatsAppUser, RequestShapes.WhatsAppSender);
        twilio.RecordInbound(RequestShapes.WhatsAppUser, RequestShapes.MessagingServiceSid);
        var context = new ShapeContext(twilio.AccountSid, twilio.ChatServiceSid, conversation, uniqueName, message, twilio.AddContentTemplate("Hello {{1}}"), "case-" + Guid.NewGuid().ToString("N"));
        return await SendAsync(twilio.ConfigureClient, shape.Build(context));
    }

    private static async Task<WireResult> SendAsync(Action<OmniChannelMessagingOptions> configure, TwilioRequest request)
    {
        var capture = new CapturingHandler();
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(o =>
            {
                configure(o);
                o.Retry.MaxAttempts = 1;
                o.CircuitBreaker.Enabled = false;
            })
            .ConfigureHttpClient(b => b.AddHttpMessageHandler(() => capture));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<TwilioApiClient>();
        try
        {
            await client.SendAsync(request);
        }
        catch (TwilioApiException)
        {
            // The status and body are what the test looks at; the capture has them.
        }

        return capture.Result ?? throw new InvalidOperationException($"No answer was captured for {request}.");
    }

    private sealed class CapturingHandler : DelegatingHandler
    {
        public WireResult? Result { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var mediaType = response.Content.Headers.ContentType?.MediaType ?? "application/json";
            response.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue(mediaType));
            Result = new WireResult((int)response.StatusCode, body);
            return response;
        }
    }
}
