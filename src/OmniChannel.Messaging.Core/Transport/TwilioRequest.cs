using System.Globalization;

namespace OmniChannel.Messaging;

/// <summary>
/// Represents one Twilio REST call before it is sent: method, product, path, query, form fields and headers.
/// </summary>
/// <remarks>
/// Form fields keep their order and may repeat (Twilio reads repeated keys such as <c>MediaUrl</c> as a list). Keys are sent
/// exactly as given, dotted ones (<c>MessagingBinding.Address</c>) included. Booleans are sent as <c>true</c>/<c>false</c>
/// and times in ISO 8601, as Twilio expects.
/// </remarks>
public sealed class TwilioRequest
{
    private List<KeyValuePair<string, string>>? form;
    private List<KeyValuePair<string, string>>? query;
    private Dictionary<string, string>? headers;

    /// <summary>Initializes a new instance of the <see cref="TwilioRequest"/> class.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="product">The Twilio API host the request goes to.</param>
    /// <param name="path">The path from the host root, starting with <c>/</c>, already escaped (for example <c>/v1/Conversations/CH123</c>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="method"/> or <paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> does not start with <c>/</c> or holds a query string.</exception>
    public TwilioRequest(HttpMethod method, TwilioProduct product, string path)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (path[0] != '/' || path.Contains('?', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The path '{path}' must start with '/' and hold no query string; add query values with AddQuery.", nameof(path));
        }

        Method = method;
        Product = product;
        Path = path;
        IsSafeToRetry = method == HttpMethod.Get || method == HttpMethod.Delete || method == HttpMethod.Head;
    }

    /// <summary>Gets the HTTP method.</summary>
    public HttpMethod Method { get; }

    /// <summary>Gets the Twilio API host the request goes to.</summary>
    public TwilioProduct Product { get; }

    /// <summary>Gets the path from the host root.</summary>
    public string Path { get; }

    /// <summary>
    /// Gets or sets the route template used in logs, traces and metrics (the <c>url.template</c> tag) in place of the path,
    /// for example <c>/v1/Conversations/{ConversationSid}</c>, so that identifiers (SIDs, identities, phone numbers) neither
    /// reach logs nor blow up metric cardinality. Set it on every request.
    /// </summary>
    /// <value>
    /// The default value is <see langword="null"/>: logs, traces and metrics then show the fixed placeholder
    /// <c>(no route template)</c>, never the path.
    /// </value>
    public string? RouteTemplate { get; init; }

    /// <summary>
    /// Gets or sets a value indicating whether the request may be repeated after a server error, a timeout or a lost
    /// connection without risk of doing its work twice.
    /// </summary>
    /// <value>
    /// The default value is <see langword="true"/> for GET, HEAD and DELETE and <see langword="false"/> otherwise. Mark a POST
    /// safe only when it is idempotent by construction, such as a create with a unique name.
    /// </value>
    public bool IsSafeToRetry { get; init; }

    /// <summary>Gets the form fields, in the order they are sent.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Form => form ?? (IReadOnlyList<KeyValuePair<string, string>>)[];

    /// <summary>Gets the query-string values, in the order they are sent.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Query => query ?? (IReadOnlyList<KeyValuePair<string, string>>)[];

    /// <summary>Gets the extra request headers.</summary>
    public IReadOnlyDictionary<string, string> Headers => headers ?? (IReadOnlyDictionary<string, string>)new Dictionary<string, string>();

    /// <summary>The route shown in logs, traces and metrics when a request has no <see cref="RouteTemplate"/>.</summary>
    internal const string MissingRouteTemplate = "(no route template)";

    /// <summary>Gets the template, or a fixed placeholder, to describe the request in telemetry without its identifiers.</summary>
    internal string DisplayRoute => RouteTemplate ?? MissingRouteTemplate;

    /// <summary>Adds a form field; a <see langword="null"/> value adds nothing.</summary>
    /// <param name="name">The Twilio field name, for example <c>MessagingBinding.Address</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns>This request, for chaining.</returns>
    public TwilioRequest AddForm(string name, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (value is not null)
        {
            (form ??= []).Add(new(name, value));
        }

        return this;
    }

    /// <summary>Adds a Boolean form field as <c>true</c> or <c>false</c>; a <see langword="null"/> value adds nothing.</summary>
    /// <param name="name">The Twilio field name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This request, for chaining.</returns>
    public TwilioRequest AddForm(string name, bool? value) => AddForm(name, value switch { null => null, true => "true", false => "false" });

    /// <summary>Adds an integer form field in invariant culture; a <see langword="null"/> value adds nothing.</summary>
    /// <param name="name">The Twilio field name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This request, for chaining.</returns>
    public TwilioRequest AddForm(string name, long? value) => AddForm(name, value?.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds a time form field in ISO 8601 (UTC, seconds precision); a <see langword="null"/> value adds nothing.</summary>
    /// <param name="name">The Twilio field name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This request, for chaining.</returns>
    public TwilioRequest AddForm(string name, DateTimeOffset? value) =>
        AddForm(name, value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    /// <summary>Adds one form field per value under the same name, as Twilio expects for lists such as <c>MediaUrl</c>.</summary>
    /// <param name="name">The Twilio field name.</param>
    /// <param name="values">The values; <see langword="null"/> adds nothing.</param>
    /// <returns>This request, for chaining.</returns>
    public TwilioRequest AddFormValues(string name, IEnumerable<string>? values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (values is not null)
        {
            foreach (var value in values)
            {
                ArgumentNullException.ThrowIfNull(value, nameof(values));
                (form ??= []).Add(new(name, value));
            }
        }

        return this;
    }

    /// <summary>Adds a query-string value; a <see langword="null"/> value adds nothing.</summary>
    /// <param name="name">The Twilio parameter name, for example <c>PageSize</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns>This request, for chaining.</returns>
    public TwilioRequest AddQuery(string name, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (value is not null)
        {
            (query ??= []).Add(new(name, value));
        }

        return this;
    }

    /// <summary>Sets a request header, for example <c>X-Twilio-Webhook-Enabled</c>.</summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">The header value.</param>
    /// <returns>This request, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is <c>Authorization</c>, which the client sets itself.</exception>
    public TwilioRequest SetHeader(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        if (string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("The Authorization header is set by the client from the configured credentials.", nameof(name));
        }

        (headers ??= new(StringComparer.OrdinalIgnoreCase))[name] = value;
        return this;
    }

    /// <summary>Returns the method, the product and the route template (or, without one, the path), for debugging.</summary>
    /// <returns>For example <c>POST Conversations /v1/Conversations/{ConversationSid}/Messages</c>.</returns>
    public override string ToString() => $"{Method} {Product} {RouteTemplate ?? Path}";
}
