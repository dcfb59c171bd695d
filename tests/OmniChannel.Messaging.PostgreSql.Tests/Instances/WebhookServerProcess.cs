using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace OmniChannel.Messaging.PostgreSql.Tests.Instances;

/// <summary>
/// samples/WebhookServer as its own OS process (the build copies it beside the tests), so a test can kill it outright:
/// no shutdown hook, no drain, no finally block runs.
/// </summary>
internal sealed class WebhookServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private WebhookServerProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public IReadOnlyCollection<string> Output => output;

    public static async Task<WebhookServerProcess> StartAsync(int port, PostgreSqlFixture database, string accountSid, string authToken, TimeSpan outboxLease)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "WebhookServer.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: the test project references samples/WebhookServer so the build copies it.");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var argument in new[]
        {
            dll,
            "--serve",
            $"--urls=http://127.0.0.1:{port}",
            $"--ConnectionStrings:OmniChannel={database.ConnectionString}",
            $"--PostgreSql:SchemaName={database.SchemaName}",
            "--PostgreSql:WebhookOutbox=true",
            $"--Webhooks:PublicBaseUrl={WebhookServerInstances.PublicBase}",
            "--Webhooks:OutboxPollInterval=00:00:00.100",
            $"--Webhooks:OutboxLease={outboxLease.ToString("c", CultureInfo.InvariantCulture)}",
            "--Logging:LogLevel:Default=Information",
            "--Logging:Console:FormatterName=simple",
            "--Logging:Console:FormatterOptions:SingleLine=true",
        })
        {
            start.ArgumentList.Add(argument);
        }

        // Real-Twilio mode with the emulator's credentials: the process validates the emulator's signatures and starts
        // no emulator of its own (nothing here calls the REST API).
        start.Environment["TWILIO_ACCOUNT_SID"] = accountSid;
        start.Environment["TWILIO_AUTH_TOKEN"] = authToken;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var process = new Process { StartInfo = start };
        var server = new WebhookServerProcess(process, port);
        process.OutputDataReceived += (_, e) => server.Record(e.Data);
        process.ErrorDataReceived += (_, e) => server.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient();
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            Assert.False(process.HasExited, "WebhookServer exited at start:\n" + string.Join('\n', server.output));
            try
            {
                using var health = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
                if (health.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (TimeProvider.System.GetElapsedTime(started) > TimeSpan.FromSeconds(60))
            {
                server.Kill();
                Assert.Fail("WebhookServer did not become healthy within 60 s:\n" + string.Join('\n', server.output));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }
    }

    /// <summary>Kills the process (SIGKILL on Linux) and waits until it is gone.</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }
}
