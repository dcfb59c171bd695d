using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace OmniChannel.Messaging.Benchmarks;

/// <summary>
/// A bounded console measurement of the PostgreSQL webhook dedupe store, the one database write on the webhook path:
/// inserts per second and latency percentiles with several concurrent callers, 10 % of them repeats (as retries are).
/// Run: <c>dotnet run -c Release --project tests/OmniChannel.Messaging.Benchmarks -- pg-dedupe --connection "Host=127.0.0.1;Port=5432;Username=postgres" [--seconds 10] [--concurrency 16]</c>.
/// Only a server on this machine (127.0.0.1) should be measured.
/// </summary>
internal static class PostgreSqlDedupeMeasurement
{
    public static async Task<int> RunAsync(string[] args)
    {
        var connection = Value(args, "--connection") ?? Environment.GetEnvironmentVariable("OMNICHANNEL_POSTGRES_CONNECTION")
            ?? throw new ArgumentException("Pass --connection or set OMNICHANNEL_POSTGRES_CONNECTION.");
        var seconds = int.Parse(Value(args, "--seconds") ?? "10", CultureInfo.InvariantCulture);
        var concurrency = int.Parse(Value(args, "--concurrency") ?? "16", CultureInfo.InvariantCulture);
        var schema = "bench_" + Guid.NewGuid().ToString("N")[..12];

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOmniChannelMessaging(o =>
        {
            o.AccountSid = "AC00000000000000000000000000000000";
            o.AuthToken = "bench";
            o.UseEnvironmentVariables = false;
        }).UsePostgreSql(connection, o => o.SchemaName = schema);
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IWebhookDedupeStore>();
        await store.TryMarkSeenAsync("warm-up", TimeSpan.FromMinutes(5));

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var latencies = new List<double>[concurrency];
        var repeats = 0L;
        var repeatsSent = 0L;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker] = new List<double>(100_000);
            var random = new Random(worker);
            var recent = new List<string>();
            while (!stop.IsCancellationRequested)
            {
                var repeat = recent.Count > 0 && random.Next(10) == 0;
                var key = repeat ? recent[random.Next(recent.Count)] : $"SM{Guid.NewGuid():N}:delivered";
                var started = Stopwatch.GetTimestamp();
                var first = await store.TryMarkSeenAsync(key, TimeSpan.FromHours(1));
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (repeat)
                {
                    Interlocked.Increment(ref repeatsSent);
                    if (!first)
                    {
                        Interlocked.Increment(ref repeats);
                    }
                }

                if (!repeat)
                {
                    if (recent.Count == 64)
                    {
                        recent.RemoveAt(0);
                    }

                    recent.Add(key);
                }
            }
        })));
        stopwatch.Stop();

        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Percentile(double p) => all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)];
        Console.WriteLine($"PostgreSQL dedupe: {concurrency} concurrent callers, {seconds} s, {Environment.ProcessorCount} cores, server on this machine");
        Console.WriteLine("| Calls | Repeats sent / recognised | Calls/s | p50 | p90 | p99 | max |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {all.Length:N0} | {repeatsSent:N0} / {repeats:N0} | {all.Length / stopwatch.Elapsed.TotalSeconds:N0} | {Percentile(0.50):F2} ms | {Percentile(0.90):F2} ms | {Percentile(0.99):F2} ms | {all[^1]:F2} ms |"));
        return repeats == repeatsSent ? 0 : 1;
    }

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
