using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace OmniChannel.Messaging.Testing.Internal;

/// <summary>Writes JSON bodies with a plain <see cref="Utf8JsonWriter"/> (no reflection: trimming and AOT safe).</summary>
internal static class Json
{
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Error(int status, int code, string message) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("code", code);
        w.WriteString("message", message);
        w.WriteString("more_info", $"https://www.twilio.com/docs/errors/{code}");
        w.WriteNumber("status", status);
        w.WriteEndObject();
    });

    public static void StringOrNull(this Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>Conversations v1 dates: ISO 8601, UTC, seconds.</summary>
    public static string Iso(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>2010 API dates: RFC 2822, for example <c>Fri, 24 May 2019 17:44:46 +0000</c>.</summary>
    public static string Rfc2822(DateTimeOffset value) => value.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
}
