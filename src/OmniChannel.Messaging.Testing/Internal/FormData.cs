using System.Text;

namespace OmniChannel.Messaging.Testing.Internal;

/// <summary>
/// Form or query pairs in the order they were sent, repeated keys kept (ASP.NET Core's form collection loses the order
/// between keys, which the request log must keep).
/// </summary>
internal sealed class FormData
{
    public FormData(IReadOnlyList<KeyValuePair<string, string>> pairs) => Pairs = pairs;

    public IReadOnlyList<KeyValuePair<string, string>> Pairs { get; }

    public static FormData Parse(string encoded)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var text = encoded.StartsWith('?') ? encoded[1..] : encoded;
        foreach (var part in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? string.Empty : part[(equals + 1)..];
            pairs.Add(new(Decode(key), Decode(value)));
        }

        return new FormData(pairs);
    }

    public string? this[string name]
    {
        get
        {
            // Twilio, like Prism, reads the last value of a repeated single-valued key.
            string? found = null;
            foreach (var (key, value) in Pairs)
            {
                if (string.Equals(key, name, StringComparison.Ordinal))
                {
                    found = value;
                }
            }

            return found;
        }
    }

    public bool Has(string name) => Pairs.Any(p => string.Equals(p.Key, name, StringComparison.Ordinal));

    public IReadOnlyList<string> All(string name) =>
        Pairs.Where(p => string.Equals(p.Key, name, StringComparison.Ordinal)).Select(p => p.Value).ToList();

    public static string Encode(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var builder = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            builder.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return builder.ToString();
    }

    private static string Decode(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return value;
        }
    }
}
