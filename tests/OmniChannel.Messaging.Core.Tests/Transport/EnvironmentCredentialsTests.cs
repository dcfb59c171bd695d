using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OmniChannel.Messaging.Core.Tests.Transport;

/// <summary>Runs alone: these tests set the process's TWILIO_* variables, which every default account reads.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentGroup
{
    public const string Name = "Process environment";
}

[Collection(ProcessEnvironmentGroup.Name)]
public sealed class EnvironmentCredentialsTests
{
    private const string OtherAccountSid = "ACfedcba9876543210fedcba9876543210";
    private const string OtherApiKeySid = "SKfedcba9876543210fedcba9876543210";
    private const string OtherApiKeySecret = "other-accounts-api-key-secret-999";
    private const string OtherAuthToken = "ffeeddccbbaa99887766554433221100";

    private static Dictionary<string, string?> OtherAccountsFullSet() => new()
    {
        ["TWILIO_ACCOUNT_SID"] = OtherAccountSid,
        ["TWILIO_API_KEY_SID"] = OtherApiKeySid,
        ["TWILIO_API_KEY_SECRET"] = OtherApiKeySecret,
        ["TWILIO_AUTH_TOKEN"] = OtherAuthToken,
    };

    private static readonly string[] Variables = ["TWILIO_ACCOUNT_SID", "TWILIO_API_KEY_SID", "TWILIO_API_KEY_SECRET", "TWILIO_AUTH_TOKEN"];

    private static OmniChannelMessagingOptions Resolve(Dictionary<string, string?> environment, Action<OmniChannelMessagingOptions>? configure)
    {
        var saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var variable in Variables)
            {
                Environment.SetEnvironmentVariable(variable, environment.GetValueOrDefault(variable));
            }

            var services = new ServiceCollection();
            if (configure is null)
            {
                services.AddOmniChannelMessaging();
            }
            else
            {
                services.AddOmniChannelMessaging(configure);
            }

            using var provider = services.BuildServiceProvider();
            return provider.GetRequiredService<IOptionsMonitor<OmniChannelMessagingOptions>>().Get(Options.DefaultName);
        }
        finally
        {
            foreach (var (variable, value) in saved)
            {
                Environment.SetEnvironmentVariable(variable, value);
            }
        }
    }

    [Fact]
    public void AddOmniChannelMessaging_AuthTokenInCodeApiKeyOfAnotherAccountInTheEnvironment_UsesOnlyTheCodesCredentials()
    {
        var options = Resolve(
            OtherAccountsFullSet(),
            o =>
            {
                o.AccountSid = TransportFixture.AccountSid;
                o.AuthToken = TransportFixture.AuthToken;
            });

        Assert.Equal(TransportFixture.AccountSid, options.AccountSid);
        Assert.Equal(TransportFixture.AuthToken, options.AuthToken);
        Assert.Null(options.ApiKeySid);
        Assert.Null(options.ApiKeySecret);
    }

    [Fact]
    public void AddOmniChannelMessaging_ApiKeyInCodeWithoutAccountSid_TakesNoAccountSidFromTheEnvironmentAndSaysWhy()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve(
            new() { ["TWILIO_ACCOUNT_SID"] = OtherAccountSid, ["TWILIO_AUTH_TOKEN"] = OtherAuthToken },
            o =>
            {
                o.ApiKeySid = TransportFixture.ApiKeySid;
                o.ApiKeySecret = TransportFixture.ApiKeySecret;
            }));

        Assert.Contains("ApiKeySid is set for the default Twilio account but AccountSid is missing", exception.Message, StringComparison.Ordinal);
        Assert.Contains("only when code and configuration set no ApiKeySid, ApiKeySecret or AuthToken", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(OtherAccountSid, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOmniChannelMessaging_NoCredentialsInCode_TakesTheEnvironmentsSet()
    {
        var options = Resolve(
            OtherAccountsFullSet(),
            configure: null);

        Assert.Equal(OtherAccountSid, options.AccountSid);
        Assert.Equal(OtherApiKeySid, options.ApiKeySid);
        Assert.Equal(OtherApiKeySecret, options.ApiKeySecret);
        Assert.Equal(OtherAuthToken, options.AuthToken);
    }

    [Fact]
    public void AddOmniChannelMessaging_AccountSidInCodeOtherAccountInTheEnvironment_FailsValidationForLackOfCredentials()
    {
        var saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable("TWILIO_ACCOUNT_SID", OtherAccountSid);
            Environment.SetEnvironmentVariable("TWILIO_API_KEY_SID", null);
            Environment.SetEnvironmentVariable("TWILIO_API_KEY_SECRET", null);
            Environment.SetEnvironmentVariable("TWILIO_AUTH_TOKEN", OtherAuthToken);
            var services = new ServiceCollection();
            services.AddOmniChannelMessaging(o => o.AccountSid = TransportFixture.AccountSid);
            using var provider = services.BuildServiceProvider();

            var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<TwilioApiClient>());

            Assert.Contains("No credentials for the default Twilio account", exception.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(OtherAuthToken, exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var (variable, value) in saved)
            {
                Environment.SetEnvironmentVariable(variable, value);
            }
        }
    }
}
