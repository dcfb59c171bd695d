// Runs the benchmarks: dotnet run -c Release --project tests/OmniChannel.Messaging.Benchmarks -- --filter '*'
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
