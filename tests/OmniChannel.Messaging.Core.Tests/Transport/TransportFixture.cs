using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Core.Tests.Transport;

internal sealed record TestResource(string Sid, string? FriendlyName);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(TestResource))]
internal sealed partial class TestJsonContext : JsonSerializerContext;

internal static class TransportFixture
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string ApiKeySid = "SK0123456789abcdef0123456789abcdef";
    public const string ApiKeySecret = "s3cr3t-api-key-secret-value-xyz42";
    public const string AuthToken = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    public static ServiceProvider Provider(
        Uri baseUrl,
        Action<OmniChannelMessagingOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        CapturingLoggerProvider? logs = null,
        Action<OmniChannelMessagingBuilder>? builder = null)
    {
        var collection = new ServiceCollection();
        if (logs is not null)
        {
            collection.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        }

        services?.Invoke(collection);
        var account = collection.AddOmniChannelMessaging(o =>
        {
            Configure(o, baseUrl);
            configure?.Invoke(o);
        });
        builder?.Invoke(account);
        return collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static void Configure(OmniChannelMessagingOptions o, Uri baseUrl)
    {
        o.AccountSid = AccountSid;
        o.ApiKeySid = ApiKeySid;
        o.ApiKeySecret = ApiKeySecret;
        o.AuthToken = AuthToken;
        o.UseEnvironmentVariables = false;
        o.ApiBaseUrl = baseUrl;
        o.ConversationsBaseUrl = baseUrl;
        o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
        o.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
    }

    public static string Error(int code, string message, int status) =>
        $$"""{"code": {{code}}, "message": "{{message}}", "more_info": "https://www.twilio.com/docs/errors/{{code}}", "status": {{status}}}""";
}
