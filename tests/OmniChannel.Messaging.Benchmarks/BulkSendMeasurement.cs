using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Sms;
using OmniChannel.Messaging.Testing;

namespace OmniChannel.Messaging.Benchmarks;

/// <summary>
/// A bounded console measurement of <see cref="ISmsClient.SendManyAsync"/> against the emulator's account rate limit
/// (loopback only): sustained throughput as a share of the limit, and the share of attempts Twilio (the emulator)
/// answered 429. Run: <c>dotnet run -c Release --project tests/OmniChannel.Messaging.Benchmarks -- bulk-send [--limit 100] [--seconds 15]</c>.
/// </summary>
internal static class BulkSendMeasurement
{
    public static async Task<int> RunAsync(string[] args)
    {
        var limit = Option(args, "--limit", 100);
        var seconds = Option(args, "--seconds", 15);
        var concurrency = Option(args, "--concurrency", 32);
        var clientRate = (int)Math.Floor(limit * 0.97);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds * 4 + 30));

        Console.WriteLine($"Bulk send: emulator limit {limit} requests/s, {concurrency} sends in flight, {Environment.ProcessorCount} cores");
        Console.WriteLine("| Client-side rate limit | Messages | Accepted | HTTP attempts | 429 answers | 429 % of attempts | Elapsed | Throughput | % of limit | Not accepted |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        var limited = await MeasureAsync(limit, clientRate, limit * seconds, concurrency, timeout.Token);
        Console.WriteLine(limited.Row($"{clientRate}/s (97 % of the limit)", limit));
        var unlimited = await MeasureAsync(limit, null, limit * Math.Min(seconds, 5), concurrency, timeout.Token);
        Console.WriteLine(unlimited.Row("off (contrast)", limit));
        return limited.ThrottledShare < 0.01 && limited.Throughput >= 0.95 * limit ? 0 : 1;
    }

    private static async Task<Measurement> MeasureAsync(int limit, int? clientRate, int count, int concurrency, CancellationToken cancellationToken)
    {
        await using var twilio = await TwilioEmulator.StartAsync(new TwilioEmulatorOptions { RequestsPerSecond = limit }, cancellationToken);
        var counter = new StatusCounter();
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(o =>
            {
                twilio.ConfigureClient(o);
                o.CircuitBreaker.Enabled = false;
                if (clientRate is { } rate)
                {
                    o.RateLimit.Enabled = true;
                    o.RateLimit.PermitsPerSecond = rate;
                }
            })
            .AddSms(
                o =>
                {
                    o.From = "+14155551234";
                    o.MaxConcurrency = concurrency;
                },
                http => http.AddHttpMessageHandler(() => counter));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<ISmsClient>();
        var messages = Enumerable.Range(0, count).Select(i => new SmsMessage($"+1415555{(i + 2000) % 10_000:D4}", "Sale today")).ToArray();

        // Warm up the connection pool and JIT outside the measured window, then wait for a fresh second.
        await client.SendAsync(new SmsMessage("+14155559999", "warm-up"), cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1.1), TimeProvider.System, cancellationToken);
        twilio.ClearRequests();
        counter.Reset();

        var stopwatch = Stopwatch.StartNew();
        var results = await client.SendManyAsync(messages, cancellationToken);
        stopwatch.Stop();

        var attempts = twilio.Requests.Count(r => r.Method == "POST");
        var accepted = results.Count(r => r.Outcome == MessageSendOutcome.Accepted);
        var skipped = string.Join(", ", results.Where(r => r.Outcome != MessageSendOutcome.Accepted).GroupBy(r => $"{r.Outcome} {r.ErrorCode} {r.ErrorMessage}").Select(g => $"{g.Key} ×{g.Count()}"));
        return new Measurement(count, accepted, attempts, counter.Throttled, stopwatch.Elapsed, skipped.Length == 0 ? "-" : skipped);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed class StatusCounter : DelegatingHandler
    {
        private int throttled;

        public int Throttled => Volatile.Read(ref throttled);

        public void Reset() => Interlocked.Exchange(ref throttled, 0);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if ((int)response.StatusCode == 429)
            {
                Interlocked.Increment(ref throttled);
            }

            return response;
        }
    }

    private sealed record Measurement(int Messages, int Accepted, int Attempts, int Throttled, TimeSpan Elapsed, string NotAccepted)
    {
        public double Throughput => Accepted / Elapsed.TotalSeconds;

        public double ThrottledShare => Attempts == 0 ? 0 : (double)Throttled / Attempts;

        public string Row(string label, int limit) => string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {Messages} | {Accepted} | {Attempts} | {Throttled} | {ThrottledShare * 100:F2} % | {Elapsed.TotalSeconds:F2} s | {Throughput:F1}/s | {Throughput / limit * 100:F1} % | {NotAccepted} |");
    }
}
