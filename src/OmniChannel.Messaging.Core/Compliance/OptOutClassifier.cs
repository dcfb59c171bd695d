using OmniChannel.Messaging.Compliance.Internal;

namespace OmniChannel.Messaging;

/// <summary>
/// Provides classification of inbound message bodies as opt-out (STOP), opt-in (START) or help (HELP) keywords,
/// following Twilio's rule that the whole body must be the keyword.
/// </summary>
/// <remarks>
/// <para>
/// Matching ignores case and requires the whole body to be one keyword: <c>Stop please</c> and <c>OPT OUT</c> are
/// not keywords. Twilio does not document white space or punctuation, so this classifier applies a conservative
/// rule: leading and trailing white space is ignored, a trailing run of punctuation is ignored (<c>STOP.</c>,
/// <c>Stop!</c>, <c>stop?!</c>), and full-width forms are folded to ASCII (<c>ＳＴＯＰ</c>). Leading punctuation,
/// symbols and emoji are not ignored.
/// </para>
/// <para>Classification allocates nothing. Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class OptOutClassifier
{
    private readonly Entry[] entries;
    private readonly int maxLength;

    /// <summary>Initializes a new instance of the <see cref="OptOutClassifier"/> class with Twilio's default English keywords.</summary>
    public OptOutClassifier()
        : this(new OptOutClassifierOptions())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OptOutClassifier"/> class.</summary>
    /// <param name="options">The keyword lists to recognize.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// A language is not built in, a keyword is empty or holds white space, or one keyword is given two intents.
    /// </exception>
    public OptOutClassifier(OptOutClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var list = new List<Entry>();
        foreach (var language in options.Languages)
        {
            foreach (var (intent, keyword) in OptOutKeywordSets.For(language))
            {
                Add(list, intent, keyword, language);
            }
        }

        foreach (var (intent, keyword, language) in options.CustomKeywords)
        {
            Add(list, intent, keyword, language);
        }

        entries = [.. list];
        maxLength = list.Count == 0 ? 0 : list.Max(e => e.Keyword.Length);
    }

    /// <summary>Gets a classifier with Twilio's default English keywords.</summary>
    public static OptOutClassifier Default { get; } = new();

    /// <summary>Gets the language tags of the built-in keyword lists.</summary>
    public static IReadOnlyList<string> BuiltInLanguages => OptOutKeywordSets.Languages;

    /// <summary>Classifies a message body.</summary>
    /// <param name="body">The inbound message body.</param>
    /// <returns>The intent with the keyword and language that matched, or a result whose intent is <see cref="OptOutIntent.None"/>.</returns>
    public OptOutClassification Classify(string? body) => Classify(body.AsSpan());

    /// <summary>Classifies a message body.</summary>
    /// <param name="body">The inbound message body.</param>
    /// <returns>The intent with the keyword and language that matched, or a result whose intent is <see cref="OptOutIntent.None"/>.</returns>
    public OptOutClassification Classify(ReadOnlySpan<char> body)
    {
        var trimmed = Trim(body);
        if (trimmed.IsEmpty || trimmed.Length > maxLength)
        {
            return default;
        }

        Span<char> folded = stackalloc char[trimmed.Length];
        Fold(trimmed, folded);
        foreach (var entry in entries)
        {
            if (entry.Keyword.Length == folded.Length && folded.SequenceEqual(entry.Keyword))
            {
                return new OptOutClassification(entry.Intent, entry.Keyword, entry.Language);
            }
        }

        return default;
    }

    private static ReadOnlySpan<char> Trim(ReadOnlySpan<char> body)
    {
        var end = body.Length;
        while (end > 0 && (char.IsWhiteSpace(body[end - 1]) || char.IsPunctuation(body[end - 1])))
        {
            end--;
        }

        var start = 0;
        while (start < end && char.IsWhiteSpace(body[start]))
        {
            start++;
        }

        return body[start..end];
    }

    private static void Fold(ReadOnlySpan<char> source, Span<char> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];

            // Full-width forms U+FF01..U+FF5E mirror ASCII U+0021..U+007E.
            if (c is >= '\uFF01' and <= '\uFF5E')
            {
                c = (char)(c - 0xFEE0);
            }

            destination[i] = char.ToUpperInvariant(c);
        }
    }

    private static void Add(List<Entry> list, OptOutIntent intent, string keyword, string language)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyword);
        var trimmed = Trim(keyword);
        foreach (var c in trimmed)
        {
            if (char.IsWhiteSpace(c))
            {
                throw new ArgumentException($"Keyword '{keyword}' holds white space; Twilio does not support spaces in keywords.", nameof(keyword));
            }
        }

        if (trimmed.IsEmpty)
        {
            throw new ArgumentException($"Keyword '{keyword}' is only punctuation.", nameof(keyword));
        }

        var folded = new char[trimmed.Length];
        Fold(trimmed, folded);
        var normalized = new string(folded);
        foreach (var existing in list)
        {
            if (string.Equals(existing.Keyword, normalized, StringComparison.Ordinal))
            {
                if (existing.Intent != intent)
                {
                    throw new ArgumentException(
                        $"Keyword '{keyword}' is already a {existing.Intent} keyword ({existing.Language}); it cannot also be {intent}.", nameof(keyword));
                }

                return;
            }
        }

        list.Add(new Entry(normalized, intent, language));
    }

    private sealed record Entry(string Keyword, OptOutIntent Intent, string Language);
}
