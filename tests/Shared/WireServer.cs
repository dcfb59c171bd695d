using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OmniChannel.Messaging.Testing.Shared;

/// <summary>A request as it reached the wire: raw body and form pairs in order, repeated keys kept.</summary>
internal sealed record WireRequest(
    string Method,
    string Path,
    string QueryString,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    IReadOnlyList<KeyValuePair<string, string>> Form,
    int Index)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>What the wire server answers.</summary>
internal sealed record WireResponse(int Status, string? Json = null, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default)
{
    public static WireResponse Ok(string json) => new(200, json);
}

/// <summary>
/// A real Kestrel server on 127.0.0.1 with a free port, answering through a script and recording every request.
/// </summary>
internal sealed class WireServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private int count;

    private WireServer(WebApplication app) => this.app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public ConcurrentQueue<WireRequest> Requests { get; } = new();

    public int Count => Volatile.Read(ref count);

    public static async Task<WireServer> StartAsync(Func<WireRequest, WireResponse> respond)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new WireServer(app);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var index = Interlocked.Increment(ref server.count) - 1;
            var request = new WireRequest(context.Request.Method, context.Request.Path.Value ?? string.Empty, context.Request.QueryString.Value ?? string.Empty, headers, body, ParseForm(body), index);
            server.Requests.Enqueue(request);
            var response = respond(request);
            if (response.Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(response.Delay, TimeProvider.System, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            context.Response.StatusCode = response.Status;
            foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            if (response.Json is not null)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(response.Json, context.RequestAborted);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    public static IReadOnlyList<KeyValuePair<string, string>> ParseForm(string body)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? string.Empty : part[(equals + 1)..];
            pairs.Add(new(Decode(key), Decode(value)));
        }

        return pairs;

        static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
