using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.AspNetCore;
using OmniChannel.Messaging.Testing;
using OmniChannel.Messaging.WebhookServer;

namespace OmniChannel.Messaging.PostgreSql.Tests.Instances;

/// <summary>Counts what the handlers of every instance processed, keyed by webhook.</summary>
internal sealed class ProcessedTally : IInboundMessageHandler, IStatusCallbackHandler
{
    private readonly ConcurrentDictionary<string, int> counts = new(StringComparer.Ordinal);

    public Func<InboundMessage, CancellationToken, Task>? OnInbound { get; set; }

    public IReadOnlyDictionary<string, int> Counts => counts;

    public async Task HandleAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        counts.AddOrUpdate("in:" + message.MessageSid, 1, (_, n) => n + 1);
        if (OnInbound is { } onInbound)
        {
            await onInbound(message, cancellationToken);
        }
    }

    public Task HandleAsync(StatusCallback callback, MessageStatusEvent currentStatus, CancellationToken cancellationToken)
    {
        counts.AddOrUpdate($"st:{callback.MessageSid}:{callback.Status.Value}", 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}

/// <summary>Starts instances of samples/WebhookServer behind one public URL, sharing one PostgreSQL schema.</summary>
internal static class WebhookServerInstances
{
    public const string PublicBase = "https://hooks.example.com/";
    public const string Us = "+14155550100";

    public static Uri PublicUrl(string path) => new(PublicBase + path);

    public static Uri LocalUrl(int port) => new($"http://127.0.0.1:{port}/");

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<WebApplication> StartAsync(
        int port, PostgreSqlFixture database, TwilioEmulator twilio, ProcessedTally tally, bool outbox, TimeSpan? outboxLease = null)
    {
        string[] args =
        [
            $"--urls=http://127.0.0.1:{port}",
            $"--ConnectionStrings:OmniChannel={database.ConnectionString}",
            $"--PostgreSql:SchemaName={database.SchemaName}",
            $"--PostgreSql:WebhookOutbox={outbox}",
            $"--Webhooks:PublicBaseUrl={PublicBase}",
            "--Webhooks:OutboxPollInterval=00:00:00.100",
            $"--Webhooks:OutboxLease={(outboxLease ?? TimeSpan.FromMinutes(5)).ToString("c", CultureInfo.InvariantCulture)}",
            "--Logging:LogLevel:Default=Warning",
        ];
        var app = WebhookServerApp.Build(args, twilio, services =>
        {
            services.AddSingleton<IInboundMessageHandler>(tally);
            services.AddSingleton<IStatusCallbackHandler>(tally);
            services.AddOmniChannelMessaging().AddSms(o =>
            {
                o.From = Us;
                o.StatusCallback = PublicUrl("twilio/status");
            });
        });
        await app.StartAsync();
        return app;
    }

    public static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!await condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > TimeSpan.FromSeconds(60))
            {
                Assert.Fail($"Timed out waiting for {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        }
    }
}
