using System.Text.Json;

namespace OmniChannel.Messaging.WhatsApp;

/// <summary>
/// Represents an approved WhatsApp template sent through the Content API: a <c>ContentSid</c> (<c>HX…</c>) and its
/// positional variables, sent as <c>ContentVariables</c> JSON with string keys <c>"1"</c>, <c>"2"</c>, ….
/// </summary>
public sealed class WhatsAppTemplate
{
    /// <summary>Initializes a new instance of the <see cref="WhatsAppTemplate"/> class.</summary>
    /// <param name="contentSid">The Content API SID, <c>HX</c> followed by 32 hexadecimal characters.</param>
    /// <param name="variables">The values of <c>{{1}}</c>, <c>{{2}}</c>, … in order; none for a template without variables.</param>
    /// <exception cref="ArgumentException"><paramref name="contentSid"/> is not an HX SID.</exception>
    /// <exception cref="ArgumentNullException">A variable is <see langword="null"/>.</exception>
    public WhatsAppTemplate(string contentSid, params IEnumerable<string> variables)
    {
        TwilioSid.ThrowIfInvalid(contentSid, "HX");
        ArgumentNullException.ThrowIfNull(variables);
        ContentSid = contentSid;
        Variables = variables.ToArray();
        foreach (var variable in Variables)
        {
            ArgumentNullException.ThrowIfNull(variable, nameof(variables));
        }
    }

    /// <summary>Gets the Content API SID.</summary>
    public string ContentSid { get; }

    /// <summary>Gets the variable values in order: the first fills <c>{{1}}</c>.</summary>
    public IReadOnlyList<string> Variables { get; }

    /// <summary>Returns the <c>ContentVariables</c> JSON, for example <c>{"1":"Ada","2":"10492"}</c>, or <see langword="null"/> without variables.</summary>
    /// <returns>The JSON object with string keys, or <see langword="null"/>.</returns>
    public string? ToContentVariablesJson()
    {
        if (Variables.Count == 0)
        {
            return null;
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            for (var i = 0; i < Variables.Count; i++)
            {
                writer.WriteString((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Variables[i]);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }
}
