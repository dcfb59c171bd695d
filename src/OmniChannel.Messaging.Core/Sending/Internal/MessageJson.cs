using System.Text.Json.Serialization;

namespace OmniChannel.Messaging.Sending.Internal;

// Wire shape of a 2010 API Message resource (field names from Twilio's OpenAPI spec); everything optional so a field
// Twilio adds or leaves out never breaks reading. num_segments and price arrive as strings.
internal sealed class MessageResourceDto
{
    public string? Sid { get; set; }

    public string? To { get; set; }

    public string? Status { get; set; }

    public int? NumSegments { get; set; }

    public decimal? Price { get; set; }

    public string? PriceUnit { get; set; }

    public int? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(MessageResourceDto))]
internal sealed partial class MessageJsonContext : JsonSerializerContext;
