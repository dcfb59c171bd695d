using System.Globalization;

namespace OmniChannel.Messaging.AspNetCore.Internal;

/// <summary>The parameters of one webhook, in arrival order with repeated keys kept, and a first-value lookup.</summary>
internal sealed class WebhookFields
{
    private readonly Dictionary<string, string> first;

    public WebhookFields(List<KeyValuePair<string, string>> pairs)
    {
        Pairs = pairs;

        // Sized once: growing 3 -> 7 -> 17 -> 37 rehashed a typical 20-field webhook three times.
        first = new Dictionary<string, string>(pairs.Count, StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            first.TryAdd(pair.Key, pair.Value);
        }
    }

    public List<KeyValuePair<string, string>> Pairs { get; }

    public string? this[string name] => first.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>Gets the first value, empty included (the indexer treats empty as absent).</summary>
    public string? First(string name) => first.TryGetValue(name, out var value) ? value : null;

    public IReadOnlyList<string> All(string name)
    {
        var values = new List<string>();
        foreach (var pair in Pairs)
        {
            if (string.Equals(pair.Key, name, StringComparison.Ordinal))
            {
                values.Add(pair.Value);
            }
        }

        return values;
    }

    public int? Int(string name) =>
        int.TryParse(this[name], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public long? Long(string name) =>
        long.TryParse(this[name], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public DateTimeOffset? Date(string name) =>
        DateTimeOffset.TryParse(this[name], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;
}
