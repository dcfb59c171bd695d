using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace OmniChannel.Messaging;

/// <summary>
/// Represents the free-form JSON <c>Attributes</c> Twilio stores on conversations, participants and messages.
/// </summary>
/// <remarks>
/// Twilio sends and returns attributes as a string holding a JSON document. Build one from a <see cref="JsonElement"/>,
/// a <see cref="JsonNode"/>, raw JSON text (validated), or any value with source-generated metadata; read it back as a
/// <see cref="JsonElement"/> or a typed value. The default value stands for "no attributes" (Twilio's <c>{}</c>).
/// </remarks>
public readonly struct JsonAttributes : IEquatable<JsonAttributes>
{
    private readonly string? json;

    private JsonAttributes(string json) => this.json = json;

    /// <summary>Gets an empty JSON object, <c>{}</c>.</summary>
    public static JsonAttributes Empty { get; } = new("{}");

    /// <summary>Gets the JSON text; <c>{}</c> for the default value.</summary>
    public string Json => json ?? "{}";

    /// <summary>Parses raw JSON text.</summary>
    /// <param name="json">A JSON document, usually an object.</param>
    /// <returns>The attributes.</returns>
    /// <exception cref="ArgumentException"><paramref name="json"/> is not valid JSON; the message includes the parser's reason.</exception>
    public static JsonAttributes Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return new JsonAttributes(json);
        }
        catch (JsonException exception)
        {
            throw new ArgumentException($"Attributes must be a JSON document: {exception.Message}", nameof(json), exception);
        }
    }

    /// <summary>Creates attributes from a JSON element.</summary>
    /// <param name="element">The element.</param>
    /// <returns>The attributes.</returns>
    public static JsonAttributes FromJsonElement(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? default : new JsonAttributes(element.GetRawText());

    /// <summary>Creates attributes from a JSON node.</summary>
    /// <param name="node">The node; <see langword="null"/> gives JSON <c>null</c>.</param>
    /// <returns>The attributes.</returns>
    public static JsonAttributes FromJsonNode(JsonNode? node) => new(node?.ToJsonString() ?? "null");

    /// <summary>Creates attributes by serializing a value with source-generated metadata (trimming- and AOT-safe).</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="typeInfo">The metadata for <typeparamref name="T"/>.</param>
    /// <returns>The attributes.</returns>
    public static JsonAttributes FromValue<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return new JsonAttributes(JsonSerializer.Serialize(value, typeInfo));
    }

    /// <summary>Creates attributes by serializing any value, anonymous types included, through reflection.</summary>
    /// <param name="value">The value, for example <c>new { tenantId = "acme" }</c>.</param>
    /// <returns>The attributes.</returns>
    [RequiresUnreferencedCode("Serializes through reflection; use FromValue with a JsonTypeInfo when trimming.")]
    [RequiresDynamicCode("Serializes through reflection; use FromValue with a JsonTypeInfo for native AOT.")]
    public static JsonAttributes FromObject(object? value) => value switch
    {
        JsonAttributes attributes => attributes,
        JsonElement element => FromJsonElement(element),
        JsonNode node => FromJsonNode(node),
        _ => new JsonAttributes(JsonSerializer.Serialize(value, value?.GetType() ?? typeof(object))),
    };

    /// <summary>Converts a JSON element to attributes.</summary>
    /// <param name="element">The element.</param>
    public static implicit operator JsonAttributes(JsonElement element) => FromJsonElement(element);

    /// <summary>Converts a JSON node to attributes.</summary>
    /// <param name="node">The node.</param>
    public static implicit operator JsonAttributes(JsonNode? node) => FromJsonNode(node);

    /// <summary>Determines whether two attribute values hold the same JSON text.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when the texts are equal.</returns>
    public static bool operator ==(JsonAttributes left, JsonAttributes right) => left.Equals(right);

    /// <summary>Determines whether two attribute values hold different JSON text.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when the texts differ.</returns>
    public static bool operator !=(JsonAttributes left, JsonAttributes right) => !left.Equals(right);

    /// <summary>Returns the attributes as a JSON element that does not depend on any pooled buffer.</summary>
    /// <returns>The root element.</returns>
    public JsonElement ToJsonElement()
    {
        using var document = JsonDocument.Parse(Json);
        return document.RootElement.Clone();
    }

    /// <summary>Deserializes the attributes with source-generated metadata.</summary>
    /// <typeparam name="T">The target type.</typeparam>
    /// <param name="typeInfo">The metadata for <typeparamref name="T"/>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="JsonException">The attributes do not fit <typeparamref name="T"/>.</exception>
    public T? Deserialize<T>(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return JsonSerializer.Deserialize(Json, typeInfo);
    }

    /// <inheritdoc/>
    public bool Equals(JsonAttributes other) => string.Equals(Json, other.Json, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is JsonAttributes other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Json);

    /// <summary>Returns the JSON text.</summary>
    /// <returns>The JSON text.</returns>
    public override string ToString() => Json;
}
