using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OmniChannel.Messaging.Testing.Tests.Conformance;

/// <summary>One HTTP request a facade really sent, byte for byte, and what the emulator answered.</summary>
internal sealed partial record RecordedExchange(
    string Method,
    string PathAndQuery,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? ContentType,
    string? Body,
    int Status,
    string ResponseBody)
{
    private static readonly HashSet<string> Literals = new(StringComparer.Ordinal)
    {
        "v1", "Conversations", "Participants", "Messages", "Services", "ParticipantConversations", "2010-04-01", "Accounts", "Messages.json",
    };

    public string Path => PathAndQuery.Split('?')[0];

    public int? TwilioCode
    {
        get
        {
            try
            {
                using var document = JsonDocument.Parse(ResponseBody);
                return document.RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number ? code.GetInt32() : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// Gets the request's shape: method, path with identifiers replaced, the query and form keys (sorted, repeats counted)
    /// and the webhook header, so that two requests differing only in values count once.
    /// </summary>
    public string Shape
    {
        get
        {
            var segments = Path.Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Select(s => Literals.Contains(s) ? s : SidPattern().IsMatch(s) ? s[..2] + "…" + (s.EndsWith(".json", StringComparison.Ordinal) ? ".json" : string.Empty) : "{name}");
            var query = PathAndQuery.Contains('?', StringComparison.Ordinal) ? Keys(PathAndQuery[(PathAndQuery.IndexOf('?', StringComparison.Ordinal) + 1)..]) : string.Empty;
            var form = Body is null ? string.Empty : Keys(Body);
            var webhook = Headers.Any(h => h.Key == "X-Twilio-Webhook-Enabled") ? " +X-Twilio-Webhook-Enabled" : string.Empty;
            return $"{Method} /{string.Join('/', segments)}?{query} [{form}]{webhook}";
        }
    }

    public override string ToString() => $"{Method} {PathAndQuery} {(Body is null ? string.Empty : "[" + Body + "] ")}→ {Status} {(ResponseBody.Length > 300 ? ResponseBody[..300] + "…" : ResponseBody)}";

    /// <summary>Sends the same request (method, path, query, headers, body) to another base URL, for example Prism's.</summary>
    public async Task<WireResult> ReplayAsync(HttpClient client, Uri baseUrl)
    {
        using var request = new HttpRequestMessage(new HttpMethod(Method), new Uri(baseUrl, PathAndQuery.TrimStart('/')));
        foreach (var (key, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(key, value);
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(ConformanceTargets.PrismAccountSid + ":prism")));
        if (Body is not null)
        {
            request.Content = new StringContent(Body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType ?? "application/x-www-form-urlencoded");
        }

        using var response = await client.SendAsync(request);
        return new WireResult((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Keys(string encoded) => string.Join(',', encoded.Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(p => Uri.UnescapeDataString(p.Split('=')[0].Replace('+', ' ')))
        .GroupBy(k => k, StringComparer.Ordinal)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => g.Count() > 1 ? $"{g.Key}×{g.Count()}" : g.Key));

    [GeneratedRegex("^[A-Z]{2}[0-9a-f]{32}(\\.json)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SidPattern();
}

/// <summary>Where the recording handlers of one scenario put what they saw.</summary>
internal sealed class ExchangeSink
{
    private readonly ConcurrentQueue<RecordedExchange> exchanges = new();

    public IReadOnlyList<RecordedExchange> Exchanges => [.. exchanges];

    public void Add(RecordedExchange exchange) => exchanges.Enqueue(exchange);
}

/// <summary>
/// Records every request the SDK's HTTP pipeline sends (placed last in the pipeline, so it sees the request as it goes on
/// the wire) with the answer; one per pipeline, all writing to one sink.
/// </summary>
internal sealed class RecordingHandler(ExchangeSink sink) : DelegatingHandler
{
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase) { "Authorization", "Host", "User-Agent", "traceparent", "tracestate" };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var contentType = request.Content?.Headers.ContentType?.ToString();
        var headers = request.Headers.Where(h => !Skipped.Contains(h.Key))
            .SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v))).ToList();
        var response = await base.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "application/json";
        var replaced = new StringContent(text, Encoding.UTF8, mediaType);
        foreach (var header in response.Content.Headers.Where(h => h.Key != "Content-Type" && h.Key != "Content-Length"))
        {
            replaced.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = replaced;
        sink.Add(new RecordedExchange(request.Method.Method, request.RequestUri!.PathAndQuery, headers, contentType, body, (int)response.StatusCode, text));
        return response;
    }
}
