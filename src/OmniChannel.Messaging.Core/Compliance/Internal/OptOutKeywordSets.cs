namespace OmniChannel.Messaging.Compliance.Internal;

/// <summary>The keyword lists shipped with the classifier; docs/compliance.md cites the source of each.</summary>
internal static class OptOutKeywordSets
{
    public const string English = "en";
    public const string French = "fr";

    public static readonly IReadOnlyList<string> Languages = [English, French];

    public static IEnumerable<(OptOutIntent Intent, string Keyword)> For(string language) => language switch
    {
        // Twilio's default long-code/toll-free handling; REVOKE and OPTOUT since 2025-05-14 (FCC rule).
        English =>
        [
            (OptOutIntent.OptOut, "STOP"), (OptOutIntent.OptOut, "STOPALL"), (OptOutIntent.OptOut, "UNSUBSCRIBE"),
            (OptOutIntent.OptOut, "CANCEL"), (OptOutIntent.OptOut, "END"), (OptOutIntent.OptOut, "QUIT"),
            (OptOutIntent.OptOut, "REVOKE"), (OptOutIntent.OptOut, "OPTOUT"),
            (OptOutIntent.OptIn, "START"), (OptOutIntent.OptIn, "YES"), (OptOutIntent.OptIn, "UNSTOP"),
            (OptOutIntent.Help, "HELP"), (OptOutIntent.Help, "INFO"),
        ],

        // The French opt-out words Twilio itself names (Proxy opt-out keyword page); Twilio publishes no French
        // opt-in or help words, so none are shipped.
        French => [(OptOutIntent.OptOut, "ARRET"), (OptOutIntent.OptOut, "ARRETE"), (OptOutIntent.OptOut, "ARRETT")],
        _ => throw new ArgumentException(
            $"'{language}' is not a built-in keyword language; built-in languages are {string.Join(", ", Languages)}. Add its keywords with AddKeywords.",
            nameof(language)),
    };
}
