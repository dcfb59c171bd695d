namespace OmniChannel.Messaging.Quickstart;

/// <summary>Collects one line per HTTP call the SDK makes ("POST /v1/Conversations -> 409"), so the story can show them.</summary>
public sealed class WireLog
{
    private readonly object gate = new();
    private readonly List<string> lines = [];

    /// <summary>Gets the number of calls recorded so far.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return lines.Count;
            }
        }
    }

    /// <summary>Returns the calls recorded after the first <paramref name="from"/> ones.</summary>
    /// <param name="from">The count before the step.</param>
    /// <returns>The lines, oldest first.</returns>
    public IReadOnlyList<string> Since(int from)
    {
        lock (gate)
        {
            return lines.Skip(from).ToList();
        }
    }

    /// <summary>Describes the calls after <paramref name="from"/> for the console.</summary>
    /// <param name="from">The count before the step.</param>
    /// <returns>"no HTTP call" or the calls joined with commas.</returns>
    public string Describe(int from)
    {
        var calls = Since(from);
        return calls.Count == 0 ? "no HTTP call" : string.Join(", ", calls);
    }

    internal void Add(string line)
    {
        lock (gate)
        {
            lines.Add(line);
        }
    }

    /// <summary>The handler the story puts in the SDK's HttpClient pipeline; it sees every attempt, retries included.</summary>
    internal sealed class Handler(WireLog log) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            log.Add($"{request.Method} {request.RequestUri?.AbsolutePath} -> {(int)response.StatusCode}");
            return response;
        }
    }
}
