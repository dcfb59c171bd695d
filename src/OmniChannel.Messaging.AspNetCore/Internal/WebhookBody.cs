using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OmniChannel.Messaging.AspNetCore.Internal;

internal enum WebhookBodyKind
{
    Form,
    Json,
}

/// <summary>Reads and parses webhook bodies: form-urlencoded (repeated keys kept, order kept) and JSON objects.</summary>
internal static class WebhookBody
{
    public static WebhookBodyKind? KindOf(string? contentType)
    {
        if (contentType is null)
        {
            return null;
        }

        var media = contentType.AsSpan();
        var semicolon = media.IndexOf(';');
        if (semicolon >= 0)
        {
            media = media[..semicolon];
        }

        media = media.Trim();
        if (media.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return WebhookBodyKind.Form;
        }

        if (media.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return WebhookBodyKind.Json;
        }

        return null;
    }

    /// <summary>Reads the whole body, or returns null when it is longer than <paramref name="limit"/>.</summary>
    public static async ValueTask<byte[]?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared)
        {
            if (declared > limit)
            {
                return null;
            }

            var exact = new byte[declared];
            var read = 0;
            while (read < exact.Length)
            {
                var n = await request.Body.ReadAsync(exact.AsMemory(read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new InvalidDataException("The body ended before Content-Length bytes.");
                }

                read += n;
            }

            return exact;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, 16 * 1024));
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        return null;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var n = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                length += n;
                if (length > limit)
                {
                    return null;
                }
            }

            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Parses an application/x-www-form-urlencoded body in one pass over the bytes: '+' is a space, %XX a byte, an
    /// invalid escape is kept as sent, and each name and value is decoded as UTF-8 with one allocation.
    /// </summary>
    public static List<KeyValuePair<string, string>> ParseForm(ReadOnlySpan<byte> body)
    {
        var pairs = new List<KeyValuePair<string, string>>(24);
        byte[]? rented = null;
        var scratch = body.Length <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(body.Length));
        try
        {
            while (!body.IsEmpty)
            {
                var amp = body.IndexOf((byte)'&');
                var segment = amp < 0 ? body : body[..amp];
                body = amp < 0 ? default : body[(amp + 1)..];
                if (segment.IsEmpty)
                {
                    continue;
                }

                var equals = segment.IndexOf((byte)'=');
                var name = Decode(equals < 0 ? segment : segment[..equals], scratch);
                var value = equals < 0 ? string.Empty : Decode(segment[(equals + 1)..], scratch);
                pairs.Add(new(name, value));
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return pairs;
    }

    /// <summary>Flattens a JSON object into parameters: strings as they are, other scalars as JSON text, arrays once per item.</summary>
    /// <exception cref="JsonException">The body is not a JSON object.</exception>
    public static List<KeyValuePair<string, string>> ParseJson(ReadOnlyMemory<byte> body)
    {
        using var document = JsonDocument.Parse(body);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The webhook body is not a JSON object.");
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in property.Value.EnumerateArray())
                {
                    Add(pairs, property.Name, item);
                }
            }
            else
            {
                Add(pairs, property.Name, property.Value);
            }
        }

        return pairs;
    }

    private static void Add(List<KeyValuePair<string, string>> pairs, string name, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return;
            case JsonValueKind.String:
                pairs.Add(new(name, value.GetString()!));
                return;
            default:
                pairs.Add(new(name, value.GetRawText()));
                return;
        }
    }

    private static string Decode(ReadOnlySpan<byte> encoded, Span<byte> scratch)
    {
        if (encoded.IsEmpty)
        {
            return string.Empty;
        }

        if (encoded.IndexOfAny((byte)'+', (byte)'%') < 0)
        {
            return Encoding.UTF8.GetString(encoded);
        }

        var length = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            var b = encoded[i];
            if (b == (byte)'+')
            {
                b = (byte)' ';
            }
            else if (b == (byte)'%' && i + 2 < encoded.Length && HexValue(encoded[i + 1]) is var high and >= 0 && HexValue(encoded[i + 2]) is var low and >= 0)
            {
                b = (byte)((high << 4) | low);
                i += 2;
            }

            scratch[length++] = b;
        }

        return Encoding.UTF8.GetString(scratch[..length]);
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
