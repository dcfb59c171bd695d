using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OmniChannel.Messaging.Transport.Internal;

namespace OmniChannel.Messaging.Core.Tests.Transport;

public sealed class OptionsValidationTests
{
    private static OptionsValidationException Fail(Action<OmniChannelMessagingOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(o =>
        {
            o.UseEnvironmentVariables = false;
            configure(o);
        });
        using var provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<TwilioApiClient>());
    }

    [Theory]
    [InlineData("XX0123456789abcdef0123456789abcdef", "AccountSid of the default Twilio account: the value (starts with 'XX', 34 characters; value not shown) is not a valid AC SID")]
    [InlineData("AC123", "(starts with 'AC', 5 characters; value not shown)")]
    [InlineData("ACzz23456789abcdef0123456789abcdef", "(starts with 'AC', 34 characters, not all hexadecimal after the first two; value not shown)")]
    public void Validate_MalformedAccountSid_FailsDescribingTheValueWithoutShowingIt(string accountSid, string expected)
    {
        var exception = Fail(o =>
        {
            o.AccountSid = accountSid;
            o.AuthToken = "token-value-123";
        });

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(accountSid, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("token-value-123", exception.Message, StringComparison.Ordinal);
        if (accountSid.Length != 34)
        {
            Assert.Contains("34 characters in all", exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_ApiKeyWithoutAccountSid_SaysTheAccountSidIsMissing()
    {
        var exception = Fail(o =>
        {
            o.ApiKeySid = TransportFixture.ApiKeySid;
            o.ApiKeySecret = TransportFixture.ApiKeySecret;
        });

        Assert.Contains("ApiKeySid is set for the default Twilio account but AccountSid is missing", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TransportFixture.ApiKeySecret, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ApiKeySidWithWrongPrefix_FailsDescribingTheValueWithoutShowingIt()
    {
        var exception = Fail(o =>
        {
            o.AccountSid = TransportFixture.AccountSid;
            o.ApiKeySid = "AC0123456789abcdef0123456789abcdef";
            o.ApiKeySecret = TransportFixture.ApiKeySecret;
        });

        Assert.Contains("ApiKeySid of the default Twilio account: the value (starts with 'AC', 34 characters; value not shown) is not a valid SK SID", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ApiKeySidWithoutSecret_AndNoCredentials_FailClearly()
    {
        Assert.Contains("ApiKeySecret is missing", Fail(o =>
        {
            o.AccountSid = TransportFixture.AccountSid;
            o.ApiKeySid = TransportFixture.ApiKeySid;
        }).Message, StringComparison.Ordinal);

        Assert.Contains("No credentials", Fail(o => o.AccountSid = TransportFixture.AccountSid).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadTimeoutsRetriesAndUrls_ListEveryProblem()
    {
        var exception = Fail(o =>
        {
            o.AccountSid = TransportFixture.AccountSid;
            o.AuthToken = TransportFixture.AuthToken;
            o.AttemptTimeout = TimeSpan.FromMinutes(5);
            o.TotalTimeout = TimeSpan.FromMinutes(1);
            o.Retry.MaxAttempts = 0;
            o.Retry.BaseDelay = TimeSpan.FromSeconds(10);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(1);
            o.ApiBaseUrl = new Uri("ftp://example.com/");
            o.Region = "IE 1";
        });

        Assert.Contains("AttemptTimeout (00:05:00) of the default Twilio account is longer than TotalTimeout", exception.Message, StringComparison.Ordinal);
        Assert.Contains("MaxAttempts", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Retry:MaxDelay", exception.Message, StringComparison.Ordinal);
        Assert.Contains("ApiBaseUrl 'ftp://example.com/'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Region 'IE 1'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateOnStart_InvalidOptions_StopTheHostFromStarting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddOmniChannelMessaging(o =>
        {
            o.UseEnvironmentVariables = false;
            o.AccountSid = "ACnothex";
        });
        using var host = builder.Build();

        await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }

    [Fact]
    public void Bind_UnknownConfigurationKey_FailsFast()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OmniChannel:AccountSid"] = TransportFixture.AccountSid,
            ["OmniChannel:AuthTokn"] = "typo",
        }).Build();
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(configuration.GetSection("OmniChannel"));
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptionsMonitor<OmniChannelMessagingOptions>>().CurrentValue);
        Assert.Contains("AuthTokn", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_ConfigurationSection_ReadsNestedSettings()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OmniChannel:AccountSid"] = TransportFixture.AccountSid,
            ["OmniChannel:AuthToken"] = TransportFixture.AuthToken,
            ["OmniChannel:UseEnvironmentVariables"] = "false",
            ["OmniChannel:ConversationsBaseUrl"] = "http://127.0.0.1:4010/",
            ["OmniChannel:Retry:MaxAttempts"] = "6",
            ["OmniChannel:Retry:BaseDelay"] = "00:00:00.100",
            ["OmniChannel:RateLimit:Enabled"] = "true",
            ["OmniChannel:RateLimit:PermitsPerSecond"] = "30",
        }).Build();
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(configuration.GetSection("OmniChannel"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<OmniChannelMessagingOptions>>().CurrentValue;
        Assert.Equal(6, options.Retry.MaxAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.Retry.BaseDelay);
        Assert.True(options.RateLimit.Enabled);
        Assert.Equal(30, options.RateLimit.PermitsPerSecond);
        Assert.Equal(new Uri("http://127.0.0.1:4010/"), provider.GetRequiredService<TwilioApiClient>().GetBaseUrl(TwilioProduct.Conversations));
    }

    private const string OtherAccountSid = "ACfedcba9876543210fedcba9876543210";
    private const string OtherApiKeySid = "SKfedcba9876543210fedcba9876543210";

    private static Dictionary<string, string> AllVariables(string accountSid = TransportFixture.AccountSid) => new()
    {
        ["TWILIO_ACCOUNT_SID"] = accountSid,
        ["TWILIO_API_KEY_SID"] = TransportFixture.ApiKeySid,
        ["TWILIO_API_KEY_SECRET"] = " " + TransportFixture.ApiKeySecret + " ",
        ["TWILIO_AUTH_TOKEN"] = TransportFixture.AuthToken,
    };

    private static OmniChannelMessagingOptions PostConfigure(Dictionary<string, string> variables, OmniChannelMessagingOptions options, string name = "")
    {
        new EnvironmentCredentialsFallback(variable => variables.GetValueOrDefault(variable)).PostConfigure(name, options);
        return options;
    }

    [Fact]
    public void EnvironmentFallback_NoCredentialInCode_TakesTheWholeSetFromTheEnvironment()
    {
        var options = PostConfigure(AllVariables(), new OmniChannelMessagingOptions());

        Assert.Equal(TransportFixture.AccountSid, options.AccountSid);
        Assert.Equal(TransportFixture.ApiKeySid, options.ApiKeySid);
        Assert.Equal(TransportFixture.ApiKeySecret, options.ApiKeySecret);
        Assert.Equal(TransportFixture.AuthToken, options.AuthToken);
    }

    [Theory]
    [InlineData("AuthToken")]
    [InlineData("ApiKeySid")]
    [InlineData("ApiKeySecret")]
    public void EnvironmentFallback_AnyCredentialInCode_TakesNothingFromTheEnvironment(string property)
    {
        var options = new OmniChannelMessagingOptions();
        switch (property)
        {
            case "AuthToken": options.AuthToken = "from-code"; break;
            case "ApiKeySid": options.ApiKeySid = OtherApiKeySid; break;
            default: options.ApiKeySecret = "from-code"; break;
        }

        PostConfigure(AllVariables(), options);

        Assert.Null(options.AccountSid);
        Assert.Equal(property == "ApiKeySid" ? OtherApiKeySid : null, options.ApiKeySid);
        Assert.Equal(property == "ApiKeySecret" ? "from-code" : null, options.ApiKeySecret);
        Assert.Equal(property == "AuthToken" ? "from-code" : null, options.AuthToken);
    }

    [Fact]
    public void EnvironmentFallback_AccountSidInCodeAndCredentialsOfAnotherAccountInTheEnvironment_TakesNothing()
    {
        var options = PostConfigure(AllVariables(OtherAccountSid), new OmniChannelMessagingOptions { AccountSid = TransportFixture.AccountSid });

        Assert.Equal(TransportFixture.AccountSid, options.AccountSid);
        Assert.Null(options.ApiKeySid);
        Assert.Null(options.ApiKeySecret);
        Assert.Null(options.AuthToken);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EnvironmentFallback_AccountSidInCodeAndTheSameOrNoAccountInTheEnvironment_TakesTheCredentials(bool environmentNamesTheAccount)
    {
        var variables = AllVariables();
        if (!environmentNamesTheAccount)
        {
            variables.Remove("TWILIO_ACCOUNT_SID");
        }

        var options = PostConfigure(variables, new OmniChannelMessagingOptions { AccountSid = TransportFixture.AccountSid });

        Assert.Equal(TransportFixture.AccountSid, options.AccountSid);
        Assert.Equal(TransportFixture.ApiKeySid, options.ApiKeySid);
        Assert.Equal(TransportFixture.ApiKeySecret, options.ApiKeySecret);
        Assert.Equal(TransportFixture.AuthToken, options.AuthToken);
    }

    [Fact]
    public void EnvironmentFallback_NamedAccountOrOptedOut_TakesNothing()
    {
        var named = PostConfigure(AllVariables(), new OmniChannelMessagingOptions(), "tenant-a");
        var optedOut = PostConfigure(AllVariables(), new OmniChannelMessagingOptions { UseEnvironmentVariables = false });

        Assert.Null(named.AccountSid);
        Assert.Null(named.AuthToken);
        Assert.Null(optedOut.AccountSid);
        Assert.Null(optedOut.ApiKeySid);
    }

    [Fact]
    public void EnvironmentFallback_HalfAKeyInTheEnvironment_ReachesValidationWhichNamesTheMissingHalf()
    {
        var variables = new Dictionary<string, string>
        {
            ["TWILIO_ACCOUNT_SID"] = TransportFixture.AccountSid,
            ["TWILIO_API_KEY_SID"] = TransportFixture.ApiKeySid,
            ["TWILIO_AUTH_TOKEN"] = "   ",
        };

        var options = PostConfigure(variables, new OmniChannelMessagingOptions());

        Assert.Equal(TransportFixture.ApiKeySid, options.ApiKeySid);
        Assert.Null(options.ApiKeySecret);
        Assert.Null(options.AuthToken);
        var result = new OmniChannelMessagingOptionsValidator([new TwilioAccountRegistration(Options.DefaultName)]).Validate(Options.DefaultName, options);
        Assert.True(result.Failed);
        Assert.Contains("ApiKeySid is set for the default Twilio account but ApiKeySecret is missing", result.FailureMessage, StringComparison.Ordinal);
    }
}
