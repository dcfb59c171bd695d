using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniChannel.Messaging.Testing;
using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.AspNetCore.Tests;

/// <summary>Records what the handlers saw, in order, and lets tests wait for a count.</summary>
internal sealed class Recorder
{
    private readonly object gate = new();
    private readonly List<object> items = [];

    public Func<object, Task>? OnHandle { get; set; }

    public IReadOnlyList<object> Items
    {
        get
        {
            lock (gate)
            {
                return [.. items];
            }
        }
    }

    public IReadOnlyList<T> Of<T>() => Items.OfType<T>().ToList();

    public async Task AddAsync(object item)
    {
        if (OnHandle is { } hook)
        {
            await hook(item);
        }

        lock (gate)
        {
            items.Add(item);
        }
    }

    public async Task WaitForAsync<T>(int count, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(10));
        while (Of<T>().Count < count)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"Expected {count} {typeof(T).Name} handled, saw {Of<T>().Count}.");
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }
    }
}

internal sealed class RecordingHandler(Recorder recorder) : IInboundMessageHandler, IStatusCallbackHandler, IConversationEventHandler
{
    public Task HandleAsync(InboundMessage message, CancellationToken cancellationToken) => recorder.AddAsync(message);

    public Task HandleAsync(StatusCallback callback, MessageStatusEvent currentStatus, CancellationToken cancellationToken) => recorder.AddAsync(callback);

    public Task HandleAsync(ConversationEvent conversationEvent, CancellationToken cancellationToken) => recorder.AddAsync(conversationEvent);
}

/// <summary>A real Kestrel app on 127.0.0.1 with the webhooks mapped under /twilio, pointed at an emulator.</summary>
internal sealed class WebhookHost : IAsyncDisposable
{
    private WebhookHost(WebApplication app, TwilioEmulator twilio, Recorder recorder, CapturingLoggerProvider logs)
    {
        App = app;
        Twilio = twilio;
        Recorder = recorder;
        Logs = logs;
    }

    public WebApplication App { get; }

    public TwilioEmulator Twilio { get; }

    public Recorder Recorder { get; }

    public CapturingLoggerProvider Logs { get; }

    public Uri BaseUrl { get; private set; } = null!;

    public IServiceProvider Services => App.Services;

    public HttpClient Client { get; } = new();

    public Uri Url(string path) => new(BaseUrl, path.TrimStart('/'));

    public static async Task<WebhookHost> StartAsync(
        Action<TwilioWebhookOptions>? configure = null,
        Action<WebApplicationBuilder>? configureBuilder = null,
        Action<WebApplication>? configureApp = null,
        string environment = "Production",
        bool mapWebhooks = true,
        TwilioEmulator? twilio = null)
    {
        twilio ??= await TwilioEmulator.StartAsync();
        var recorder = new Recorder();
        var logs = new CapturingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(recorder);
        builder.Services.AddScoped<IInboundMessageHandler, RecordingHandler>();
        builder.Services.AddScoped<IStatusCallbackHandler, RecordingHandler>();
        builder.Services.AddScoped<IConversationEventHandler, RecordingHandler>();
        builder.Services.AddOmniChannelMessaging(twilio.ConfigureClient).AddWebhooks(o =>
        {
            o.HandlerRetryDelay = TimeSpan.Zero;
            configure?.Invoke(o);
        });
        configureBuilder?.Invoke(builder);
        var app = builder.Build();
        configureApp?.Invoke(app);
        if (mapWebhooks)
        {
            app.MapOmniChannelWebhooks("/twilio");
        }

        var host = new WebhookHost(app, twilio, recorder, logs);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await twilio.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return host;
    }

    /// <summary>Posts a form with the given signature header (none when null) to <paramref name="target"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(
        Uri target,
        IReadOnlyList<KeyValuePair<string, string>> form,
        string? signature,
        Action<HttpRequestMessage>? adjust = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new FormUrlEncodedContent(form) };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Twilio-Signature", signature);
        }

        adjust?.Invoke(request);
        return await Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostSignedFormAsync(string path, IReadOnlyList<KeyValuePair<string, string>> form, string? token = null, Action<HttpRequestMessage>? adjust = null)
    {
        var url = Url(path);
        var signature = TwilioSignatureValidator.ComputeSignature(token ?? Twilio.AuthToken, url.OriginalString, form);
        return PostFormAsync(url, form, signature, adjust);
    }

    public async Task<HttpResponseMessage> PostSignedJsonAsync(string path, string json, string? token = null, bool tamperBody = false)
    {
        var hash = TwilioSignatureValidator.ComputeBodyHash(Encoding.UTF8.GetBytes(json));
        var url = Url(path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "bodySHA256=" + hash);
        var signature = TwilioSignatureValidator.ComputeSignature(token ?? Twilio.AuthToken, url.OriginalString);
        var sent = tamperBody ? json.Replace("SM", "SN", StringComparison.Ordinal) : json;
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(sent, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("X-Twilio-Signature", signature);
        return await Client.SendAsync(request);
    }

    /// <summary>Sends an SMS through the emulator's REST API with a status callback pointing here, and returns its SID.</summary>
    public async Task<string> SendThroughEmulatorAsync(string to, string from = "+14155550100", string? statusCallbackPath = "twilio/status")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Twilio.BaseUrl, $"2010-04-01/Accounts/{Twilio.AccountSid}/Messages.json"));
        var form = new List<KeyValuePair<string, string>> { new("To", to), new("From", from), new("Body", "hello") };
        if (statusCallbackPath is not null)
        {
            form.Add(new("StatusCallback", Url(statusCallbackPath).OriginalString));
        }

        request.Content = new FormUrlEncodedContent(form);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Twilio.AccountSid}:{Twilio.AuthToken}")));
        using var response = await Client.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, json);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.GetProperty("sid").GetString()!;
    }

    public static List<KeyValuePair<string, string>> InboundForm(string accountSid, string from = "+14155550111", string to = "+14155550100", string body = "hello", string? messageSid = null) =>
    [
        new("MessageSid", messageSid ?? "SM" + Guid.NewGuid().ToString("N")),
        new("AccountSid", accountSid),
        new("From", from),
        new("To", to),
        new("Body", body),
        new("NumMedia", "0"),
    ];

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Twilio.DisposeAsync();
    }
}
