namespace OmniChannel.Messaging.Testing;

/// <summary>Represents a request as it reached the emulator: method, path, query and form pairs in order, headers.</summary>
public sealed class RecordedRequest
{
    internal RecordedRequest(
        string method,
        string path,
        string queryString,
        IReadOnlyList<KeyValuePair<string, string>> query,
        IReadOnlyList<KeyValuePair<string, string>> form,
        IReadOnlyDictionary<string, string> headers,
        DateTimeOffset receivedAt)
    {
        Method = method;
        Path = path;
        QueryString = queryString;
        Query = query;
        Form = form;
        Headers = headers;
        ReceivedAt = receivedAt;
    }

    /// <summary>Gets the HTTP method.</summary>
    public string Method { get; }

    /// <summary>Gets the path, for example <c>/v1/Conversations</c>.</summary>
    public string Path { get; }

    /// <summary>Gets the raw query string, with its leading <c>?</c>, or an empty string.</summary>
    public string QueryString { get; }

    /// <summary>Gets the decoded query pairs, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Query { get; }

    /// <summary>Gets the decoded form pairs, in the order sent, repeated keys kept.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Form { get; }

    /// <summary>Gets the request headers, without <c>Authorization</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Gets the time the request arrived, on the emulator's clock.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>Gets the last value of a form field.</summary>
    /// <param name="name">The exact field name.</param>
    /// <returns>The value, or <see langword="null"/> when the field was not sent.</returns>
    public string? FormValue(string name) => Form.LastOrDefault(p => string.Equals(p.Key, name, StringComparison.Ordinal)).Value;

    /// <summary>Gets every value of a form field, in the order sent.</summary>
    /// <param name="name">The exact field name.</param>
    /// <returns>The values; empty when the field was not sent.</returns>
    public IReadOnlyList<string> FormValues(string name) =>
        Form.Where(p => string.Equals(p.Key, name, StringComparison.Ordinal)).Select(p => p.Value).ToList();

    /// <inheritdoc/>
    public override string ToString() => $"{Method} {Path}{QueryString}";
}
