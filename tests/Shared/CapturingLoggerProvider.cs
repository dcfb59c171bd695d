using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OmniChannel.Messaging.Testing.Shared;

/// <summary>Keeps every log line (message, state values and exception text) so tests can search them.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            owner.Lines.Enqueue($"{logLevel} {category} [{eventId.Id}] {formatter(state, exception)} | {values} | {exception}");
        }
    }
}
