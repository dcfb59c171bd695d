using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NSubstitute;
using OmniChannel.Messaging.Testing.Shared;
using OmniChannel.Messaging.Transport.Internal;

namespace OmniChannel.Messaging.Core.Tests.Transport;

public sealed class RegistrationTests
{
    [Fact]
    public void AddOmniChannelMessaging_CalledTwice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(o => o.AccountSid = TransportFixture.AccountSid);
        var count = services.Count;
        services.AddOmniChannelMessaging(o => o.AuthToken = TransportFixture.AuthToken);

        // The second call adds only its options delegate.
        Assert.Equal(count + 1, services.Count);
        Assert.Single(services, d => d.ServiceType == typeof(ITwilioClientFactory));
        Assert.Single(services, d => d.ServiceType == typeof(TwilioApiClient) && !d.IsKeyedService);
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<OmniChannelMessagingOptions>) && d.ImplementationType == typeof(OmniChannelMessagingOptionsValidator));

        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var options = provider.GetRequiredService<IOptionsMonitor<OmniChannelMessagingOptions>>().CurrentValue;
        Assert.Equal(TransportFixture.AccountSid, options.AccountSid);
        Assert.Equal(TransportFixture.AuthToken, options.AuthToken);
    }

    [Fact]
    public void AddOmniChannelMessaging_UserRegistrationsMadeFirst_Win()
    {
        var factory = Substitute.For<ITwilioClientFactory>();
        var clock = new ManualTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton(factory);
        services.AddSingleton<TimeProvider>(clock);
        services.AddOmniChannelMessaging(o =>
        {
            o.AccountSid = TransportFixture.AccountSid;
            o.AuthToken = TransportFixture.AuthToken;
        });

        using var provider = services.BuildServiceProvider();

        Assert.Same(factory, provider.GetRequiredService<ITwilioClientFactory>());
        Assert.Same(clock, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task AddOmniChannelMessaging_NamedAccounts_EachUseTheirOwnCredentialsAndKeyedClient()
    {
        await using var server = await WireServer.StartAsync(_ => new WireResponse(204));
        const string TenantBSid = "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging("tenant-a", o => TransportFixture.Configure(o, server.BaseUrl));
        services.AddOmniChannelMessaging("tenant-b", o =>
        {
            o.AccountSid = TenantBSid;
            o.AuthToken = "tenant-b-token";
            o.ApiBaseUrl = server.BaseUrl;
        });
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var a = provider.GetRequiredKeyedService<TwilioApiClient>("tenant-a");
        var b = provider.GetRequiredService<ITwilioClientFactory>().GetClient("tenant-b");
        Assert.Same(a, provider.GetRequiredService<ITwilioClientFactory>().GetClient("tenant-a"));
        Assert.Equal("tenant-b", b.Name);
        Assert.Equal(TenantBSid, b.AccountSid);

        await a.SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/a"));
        await b.SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/b"));

        var requests = server.Requests.ToArray();
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TransportFixture.ApiKeySid}:{TransportFixture.ApiKeySecret}")), requests[0].Header("Authorization"));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TenantBSid}:tenant-b-token")), requests[1].Header("Authorization"));

        // Named accounts never pick up the default account's environment variables, and an unknown name is a clear error.
        var unknown = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ITwilioClientFactory>().GetClient("tenant-c"));
        Assert.Contains("No Twilio account named 'tenant-c' is registered", unknown.Message, StringComparison.Ordinal);
        Assert.Null(provider.GetService<TwilioApiClient>());
    }

    [Fact]
    public void GetClient_FirstBuildFailsValidation_IsBuiltAgainAfterTheConfigurationIsFixedAndReloaded()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OmniChannel:AccountSid"] = TransportFixture.AccountSid,
            ["OmniChannel:UseEnvironmentVariables"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(configuration.GetSection("OmniChannel"));
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<ITwilioClientFactory>();

        var failure = Assert.Throws<OptionsValidationException>(() => factory.GetClient(string.Empty));
        Assert.Contains("No credentials for the default Twilio account", failure.Message, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<TwilioApiClient>());

        configuration["OmniChannel:AuthToken"] = TransportFixture.AuthToken;
        configuration.Reload();
        var client = factory.GetClient(string.Empty);

        Assert.Equal(TransportFixture.AccountSid, client.AccountSid);
        Assert.Same(client, factory.GetClient(string.Empty));
        Assert.Same(client, provider.GetRequiredService<TwilioApiClient>());
    }

    [Fact]
    public async Task ConfigurationReload_CredentialsAndBaseUrlFollow_ResilienceSettingsStayAsFirstBuilt()
    {
        await using var first = await WireServer.StartAsync(r => r.Index == 0 ? new WireResponse(503) : new WireResponse(204));
        await using var second = await WireServer.StartAsync(r => r.Index == 0 ? new WireResponse(503) : new WireResponse(204));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OmniChannel:AccountSid"] = TransportFixture.AccountSid,
            ["OmniChannel:AuthToken"] = "token-before-rotation",
            ["OmniChannel:UseEnvironmentVariables"] = "false",
            ["OmniChannel:ApiBaseUrl"] = first.BaseUrl.AbsoluteUri,
            ["OmniChannel:Retry:BaseDelay"] = "00:00:00.001",
            ["OmniChannel:Retry:MaxDelay"] = "00:00:00.005",
        }).Build();
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(configuration.GetSection("OmniChannel"));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<TwilioApiClient>();
        await client.SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/before"));

        configuration["OmniChannel:AuthToken"] = "token-after-rotation";
        configuration["OmniChannel:ApiBaseUrl"] = second.BaseUrl.AbsoluteUri;
        configuration["OmniChannel:Retry:MaxAttempts"] = "1";
        configuration.Reload();
        await client.SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/after"));

        Assert.Same(client, provider.GetRequiredService<TwilioApiClient>());
        Assert.Equal(2, first.Requests.Count);
        Assert.All(first.Requests, r => Assert.Equal(Basic(TransportFixture.AccountSid, "token-before-rotation"), r.Header("Authorization")));

        // The new token and base URL are used at once; MaxAttempts = 1 is not: the 503 is still retried as first built.
        Assert.Equal(2, second.Requests.Count);
        Assert.All(second.Requests, r => Assert.Equal(Basic(TransportFixture.AccountSid, "token-after-rotation"), r.Header("Authorization")));
    }

    private static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    [Fact]
    public async Task ConfigureHttpClient_AddsTheUsersHandlerInsideTheRetryLoop()
    {
        await using var server = await WireServer.StartAsync(r => r.Index == 0 ? new WireResponse(503) : new WireResponse(204));
        var handler = new CountingHandler();
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(o => TransportFixture.Configure(o, server.BaseUrl))
            .ConfigureHttpClient(b => b.AddHttpMessageHandler(() => handler));
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<TwilioApiClient>().SendAsync(new TwilioRequest(HttpMethod.Get, TwilioProduct.Api, "/x"));

        Assert.Equal(2, handler.Count);
    }

    [Fact]
    public void TryAddClient_RegistersOncePerAccount_DefaultAndKeyed_AndKeepsTheUsersOwn()
    {
        var services = new ServiceCollection();
        var mine = new SampleClient("mine");
        services.AddSingleton(mine);
        var defaults = services.AddOmniChannelMessaging(o => o.AccountSid = TransportFixture.AccountSid);
        var tenant = services.AddOmniChannelMessaging("tenant-a", o => o.AccountSid = TransportFixture.AccountSid);

        Assert.True(defaults.TryAddClient<SampleClient, SampleOptions>(o => o.Value = 1, null, (_, name) => new SampleClient(name)));
        Assert.False(defaults.TryAddClient<SampleClient, SampleOptions>(o => o.Value = 2, null, (_, name) => new SampleClient("second " + name)));
        Assert.True(tenant.TryAddClient<SampleClient, SampleOptions>(null, null, (_, name) => new SampleClient(name)));
        using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<SampleClient>());
        Assert.Equal("tenant-a", provider.GetRequiredKeyedService<SampleClient>("tenant-a").Name);
        Assert.Equal(string.Empty, provider.GetRequiredKeyedService<SampleClient>(string.Empty).Name);
        Assert.Equal(2, provider.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<SampleOptions>>().Get(string.Empty).Value);
    }

    [Fact]
    public void TryAddClient_Rules_CheckEveryRegisteredAccountAtStartAndNoOtherName()
    {
        static IEnumerable<string> Rules(SampleOptions o) => o.Value > 0 ? [] : [$"Sample Value ({o.Value}) must be positive."];
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(o => o.AccountSid = TransportFixture.AccountSid).TryAddClient<SampleClient, SampleOptions>(o => o.Value = 1, null, (_, name) => new SampleClient(name), Rules);
        services.AddOmniChannelMessaging("tenant-a", o => o.AccountSid = TransportFixture.AccountSid).TryAddClient<SampleClient, SampleOptions>(o => o.Value = -3, null, (_, name) => new SampleClient(name), Rules);
        using var provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<SampleOptions>));
        var monitor = provider.GetRequiredService<IOptionsMonitor<SampleOptions>>();
        Assert.Equal(1, monitor.Get(string.Empty).Value);
        Assert.Equal(0, monitor.Get("never-registered").Value);
        var failure = Assert.Throws<OptionsValidationException>(() => monitor.Get("tenant-a"));
        Assert.Equal("Sample Value (-3) must be positive.", Assert.Single(failure.Failures));
    }

    internal sealed record SampleClient(string Name);

    internal sealed class SampleOptions
    {
        public int Value { get; set; }
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        private int count;

        public int Count => count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref count);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
