using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniChannel.Messaging.Testing;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Conversations.Tests;

/// <summary>An emulator and a container with the Conversations client pointed at it.</summary>
internal sealed class ConversationsFixture : IAsyncDisposable
{
    private ConversationsFixture(TwilioEmulator twilio, ServiceProvider provider, CapturingLoggerProvider logs)
    {
        Twilio = twilio;
        Provider = provider;
        Logs = logs;
    }

    public TwilioEmulator Twilio { get; }

    public ServiceProvider Provider { get; }

    public CapturingLoggerProvider Logs { get; }

    public IConversationsClient Client => Provider.GetRequiredService<IConversationsClient>();

    public static async Task<ConversationsFixture> StartAsync(Action<ConversationsOptions>? configure = null, TwilioEmulator? shared = null)
    {
        var twilio = shared ?? await TwilioEmulator.StartAsync();
        return new ConversationsFixture(twilio, CreateProvider(twilio, configure, out var logs), logs);
    }

    public static ServiceProvider CreateProvider(TwilioEmulator twilio, Action<ConversationsOptions>? configure, out CapturingLoggerProvider logs, ResponseLog? responses = null)
    {
        var capture = new CapturingLoggerProvider();
        logs = capture;
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(capture));
        if (responses is not null)
        {
            services.ConfigureHttpClientDefaults(b => b.AddHttpMessageHandler(() => new ResponseRecorder(responses)));
        }

        services.AddOmniChannelMessaging(o =>
            {
                twilio.ConfigureClient(o);
                o.UseEnvironmentVariables = false;
                o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
                o.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
            })
            .AddConversations(o =>
            {
                o.DefaultRegion = "US";
                configure?.Invoke(o);
            });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public int Count(string method, string pathSuffix) =>
        Twilio.Requests.Count(r => r.Method == method && r.Path.EndsWith(pathSuffix, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Twilio.DisposeAsync();
    }
}

/// <summary>The status and Twilio error body of every response a client received (the emulator's log has requests only).</summary>
internal sealed class ResponseLog
{
    private readonly List<(string Method, string Path, int Status, string Body)> entries = [];

    public IReadOnlyList<(string Method, string Path, int Status, string Body)> Entries
    {
        get
        {
            lock (entries)
            {
                return entries.ToList();
            }
        }
    }

    public void Add(string method, string path, int status, string body)
    {
        lock (entries)
        {
            entries.Add((method, path, status, body));
        }
    }
}

internal sealed class ResponseRecorder(ResponseLog log) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var body = (int)response.StatusCode >= 400 ? await response.Content.ReadAsStringAsync(cancellationToken) : string.Empty;
        if (body.Length > 0)
        {
            // The body was read here; hand the transport an equal copy.
            var copy = new StringContent(body, System.Text.Encoding.UTF8);
            copy.Headers.ContentType = response.Content.Headers.ContentType;
            response.Content = copy;
        }

        log.Add(request.Method.Method, request.RequestUri!.AbsolutePath, (int)response.StatusCode, body);
        return response;
    }
}
