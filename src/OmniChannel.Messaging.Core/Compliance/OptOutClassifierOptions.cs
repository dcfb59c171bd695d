namespace OmniChannel.Messaging;

/// <summary>Represents the keyword lists an <see cref="OptOutClassifier"/> recognizes.</summary>
public sealed class OptOutClassifierOptions
{
    private readonly List<(OptOutIntent Intent, string Keyword, string Language)> customKeywords = [];

    /// <summary>
    /// Gets the built-in keyword lists to include, by language tag: <c>en</c> (Twilio's default English keywords) and
    /// <c>fr</c> (the French opt-out words ARRET, ARRETE, ARRETT that Twilio recognizes). See docs/compliance.md.
    /// </summary>
    /// <value>The default value is a list holding <c>en</c>.</value>
    public IList<string> Languages { get; } = ["en"];

    /// <summary>Gets the keywords added with <see cref="AddKeywords"/>, in the order added.</summary>
    internal IReadOnlyList<(OptOutIntent Intent, string Keyword, string Language)> CustomKeywords => customKeywords;

    /// <summary>
    /// Adds keywords, as configured with Twilio's Advanced Opt-Out on a Messaging Service. A keyword is one word:
    /// Twilio does not support spaces in keywords. Matching ignores case.
    /// </summary>
    /// <param name="intent">What the keywords ask for; not <see cref="OptOutIntent.None"/>.</param>
    /// <param name="language">The language tag reported when one of them matches, for example <c>es</c>.</param>
    /// <param name="keywords">The keywords.</param>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentException">The intent is <see cref="OptOutIntent.None"/>, the language is empty, or a keyword is empty or holds white space.</exception>
    public OptOutClassifierOptions AddKeywords(OptOutIntent intent, string language, params string[] keywords)
    {
        ArgumentNullException.ThrowIfNull(keywords);
        ArgumentException.ThrowIfNullOrWhiteSpace(language);
        if (intent is not (OptOutIntent.OptOut or OptOutIntent.OptIn or OptOutIntent.Help))
        {
            throw new ArgumentException($"Intent '{intent}' cannot have keywords.", nameof(intent));
        }

        foreach (var keyword in keywords)
        {
            customKeywords.Add((intent, keyword, language));
        }

        return this;
    }
}
