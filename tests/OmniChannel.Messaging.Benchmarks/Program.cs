// Runs the benchmarks: dotnet run -c Release --project tests/OmniChannel.Messaging.Benchmarks -- --filter '*'
// Bulk-send measurement against the emulator: dotnet run -c Release --project tests/OmniChannel.Messaging.Benchmarks -- bulk-send
// PostgreSQL dedupe measurement: dotnet run -c Release --project tests/OmniChannel.Messaging.Benchmarks -- pg-dedupe --connection "…"
using BenchmarkDotNet.Running;
using OmniChannel.Messaging.Benchmarks;

if (args.Length > 0 && args[0] == "bulk-send")
{
    return await BulkSendMeasurement.RunAsync(args);
}

if (args.Length > 0 && args[0] == "pg-dedupe")
{
    return await PostgreSqlDedupeMeasurement.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(BulkSendMeasurement).Assembly).Run(args);
return 0;
