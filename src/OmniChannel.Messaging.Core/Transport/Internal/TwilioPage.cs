using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OmniChannel.Messaging.Transport.Internal;

/// <summary>One page of a Twilio list: its items and the link to the next page, if any.</summary>
internal sealed class TwilioPage<T>(IReadOnlyList<T> items, string? nextLink)
{
    public IReadOnlyList<T> Items { get; } = items;

    public string? NextLink { get; } = nextLink;

    public static TwilioPage<T> Parse(byte[] body, string itemsProperty, JsonTypeInfo<T> itemType)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var items = new List<T>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"The Twilio page is a JSON {root.ValueKind}, not an object.");
        }

        if (root.TryGetProperty(itemsProperty, out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in array.EnumerateArray())
            {
                items.Add(element.Deserialize(itemType) ?? throw new JsonException($"A null item was found in the '{itemsProperty}' list."));
            }
        }
        else
        {
            throw new JsonException($"The Twilio page has no '{itemsProperty}' array.");
        }

        // Conversations and other v1 APIs: meta.next_page_url (absolute). The 2010 API: next_page_uri (relative).
        string? next = null;
        if (root.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object
            && meta.TryGetProperty("next_page_url", out var url) && url.ValueKind == JsonValueKind.String)
        {
            next = url.GetString();
        }
        else if (root.TryGetProperty("next_page_uri", out var uri) && uri.ValueKind == JsonValueKind.String)
        {
            next = uri.GetString();
        }

        return new TwilioPage<T>(items, string.IsNullOrEmpty(next) ? null : next);
    }
}
