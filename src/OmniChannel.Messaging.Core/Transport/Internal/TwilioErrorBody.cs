using System.Globalization;
using System.Text.Json;

namespace OmniChannel.Messaging.Transport.Internal;

/// <summary>
/// Reads Twilio's error body in either shape: the classic <c>{code, message, more_info, status}</c> and RFC 9457
/// problem details (<c>{type, title, detail, code, status}</c>). Anything unreadable yields no fields, never an exception.
/// </summary>
internal readonly record struct TwilioErrorBody(int? Code, string? Message, Uri? MoreInfo)
{
    public static TwilioErrorBody Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return default;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return default;
            }

            var code = ReadInt(root, "code");
            var message = ReadString(root, "message") ?? ReadString(root, "detail") ?? ReadString(root, "title");
            var moreInfo = ReadString(root, "more_info") ?? ReadString(root, "type");
            return new TwilioErrorBody(
                code,
                message,
                moreInfo is not null && Uri.TryCreate(moreInfo, UriKind.Absolute, out var link) ? link : null);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static int? ReadInt(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) switch
        {
            false => null,
            true when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) => number,
            true when value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };

    private static string? ReadString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
