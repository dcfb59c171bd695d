using System.Globalization;

namespace OmniChannel.Messaging.Conversations;

/// <summary>Represents an inbound SMS or WhatsApp message to route: Twilio's <c>From</c>, <c>To</c>, <c>Body</c> and media.</summary>
public sealed class InboundConversationMessage
{
    /// <summary>Initializes a new instance of the <see cref="InboundConversationMessage"/> class.</summary>
    /// <param name="from">The customer's address as Twilio sent it (<c>From</c>).</param>
    /// <param name="to">The Twilio address it was sent to (<c>To</c>).</param>
    /// <exception cref="ArgumentException"><paramref name="from"/> or <paramref name="to"/> is null, empty or white space.</exception>
    public InboundConversationMessage(string from, string to)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(from);
        ArgumentException.ThrowIfNullOrWhiteSpace(to);
        From = from;
        To = to;
    }

    /// <summary>Gets the customer's address (<c>From</c>).</summary>
    public string From { get; }

    /// <summary>Gets the Twilio address (<c>To</c>).</summary>
    public string To { get; }

    /// <summary>Gets or sets the text.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Body { get; init; }

    /// <summary>Gets or sets the media Twilio attached (<c>MediaUrl0</c>, <c>MediaContentType0</c>, …).</summary>
    /// <value>The default value is an empty list.</value>
    public IReadOnlyList<InboundConversationMedia> Media { get; init; } = [];

    /// <summary>Gets or sets the tenant id for tenant-scoped unique names.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Tenant { get; init; }

    /// <summary>Reads an inbound message from Twilio's webhook parameters: <c>From</c>, <c>To</c>, <c>Body</c>, <c>NumMedia</c>, <c>MediaUrl{n}</c> and <c>MediaContentType{n}</c>.</summary>
    /// <param name="parameters">The webhook's form parameters.</param>
    /// <param name="tenant">The tenant id, or <see langword="null"/>.</param>
    /// <returns>The message.</returns>
    /// <exception cref="ArgumentException"><c>From</c> or <c>To</c> is missing, or a media URL is not an absolute URL.</exception>
    public static InboundConversationMessage FromWebhook(IEnumerable<KeyValuePair<string, string>> parameters, string? tenant = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in parameters)
        {
            values[key] = value;
        }

        string? Get(string name) => values.TryGetValue(name, out var value) ? value : null;
        var from = Get("From");
        var to = Get("To");
        if (string.IsNullOrWhiteSpace(from) || string.IsNullOrWhiteSpace(to))
        {
            throw new ArgumentException("The webhook parameters need From and To.", nameof(parameters));
        }

        var media = new List<InboundConversationMedia>();
        var count = int.TryParse(Get("NumMedia"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Math.Min(n, 10) : 0;
        for (var i = 0; i < count; i++)
        {
            var url = Get("MediaUrl" + i.ToString(CultureInfo.InvariantCulture));
            if (url is null)
            {
                continue;
            }

            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                throw new ArgumentException($"MediaUrl{i} '{url}' is not an absolute URL.", nameof(parameters));
            }

            media.Add(new InboundConversationMedia(uri, Get("MediaContentType" + i.ToString(CultureInfo.InvariantCulture))));
        }

        return new InboundConversationMessage(from, to) { Body = Get("Body"), Media = media, Tenant = tenant };
    }
}

/// <summary>Represents one media item of an inbound message: its Twilio URL and content type.</summary>
public sealed class InboundConversationMedia
{
    /// <summary>Initializes a new instance of the <see cref="InboundConversationMedia"/> class.</summary>
    /// <param name="url">The media URL Twilio sent (<c>MediaUrl{n}</c>).</param>
    /// <param name="contentType">The content type (<c>MediaContentType{n}</c>), or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="url"/> is <see langword="null"/>.</exception>
    public InboundConversationMedia(Uri url, string? contentType)
    {
        ArgumentNullException.ThrowIfNull(url);
        Url = url;
        ContentType = contentType;
    }

    /// <summary>Gets the media URL.</summary>
    public Uri Url { get; }

    /// <summary>Gets the content type, for example <c>image/jpeg</c>.</summary>
    public string? ContentType { get; }
}
