namespace OmniChannel.Messaging;

/// <summary>Represents the result of classifying an inbound message body as an opt-out, opt-in or help keyword.</summary>
public readonly struct OptOutClassification : IEquatable<OptOutClassification>
{
    internal OptOutClassification(OptOutIntent intent, string keyword, string language)
    {
        Intent = intent;
        Keyword = keyword;
        Language = language;
    }

    /// <summary>Gets what the message asks for; <see cref="OptOutIntent.None"/> when it is not a keyword.</summary>
    public OptOutIntent Intent { get; }

    /// <summary>Gets the configured keyword that matched, in upper case (for example <c>STOP</c>), or <see langword="null"/>.</summary>
    public string? Keyword { get; }

    /// <summary>Gets the language tag of the keyword list that matched (for example <c>en</c>), or <see langword="null"/>.</summary>
    public string? Language { get; }

    /// <summary>Gets a value indicating whether the message is a keyword.</summary>
    public bool IsKeyword => Intent != OptOutIntent.None;

    /// <summary>Determines whether two classifications are equal.</summary>
    /// <param name="left">The first classification.</param>
    /// <param name="right">The second classification.</param>
    /// <returns><see langword="true"/> when intent, keyword and language are equal.</returns>
    public static bool operator ==(OptOutClassification left, OptOutClassification right) => left.Equals(right);

    /// <summary>Determines whether two classifications differ.</summary>
    /// <param name="left">The first classification.</param>
    /// <param name="right">The second classification.</param>
    /// <returns><see langword="true"/> when intent, keyword or language differ.</returns>
    public static bool operator !=(OptOutClassification left, OptOutClassification right) => !left.Equals(right);

    /// <summary>Determines whether this classification equals another.</summary>
    /// <param name="other">The other classification.</param>
    /// <returns><see langword="true"/> when intent, keyword and language are equal.</returns>
    public bool Equals(OptOutClassification other) =>
        Intent == other.Intent
        && string.Equals(Keyword, other.Keyword, StringComparison.Ordinal)
        && string.Equals(Language, other.Language, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is OptOutClassification other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Intent, Keyword, Language);

    /// <summary>Returns the intent with the keyword and language that matched.</summary>
    /// <returns>For example <c>OptOut STOP (en)</c>, or <c>None</c>.</returns>
    public override string ToString() => IsKeyword ? $"{Intent} {Keyword} ({Language})" : nameof(OptOutIntent.None);
}
