namespace OmniChannel.Messaging;

/// <summary>Represents what a last-inbound store knows about one user and sender: the times that open WhatsApp windows.</summary>
public readonly struct LastInboundRecord : IEquatable<LastInboundRecord>
{
    /// <summary>Initializes a new instance of the <see cref="LastInboundRecord"/> struct.</summary>
    /// <param name="lastInboundAt">The time of the user's most recent inbound message, if any.</param>
    /// <param name="freeEntryPointOpenedAt">The time a free-entry-point window opened, if any.</param>
    public LastInboundRecord(DateTimeOffset? lastInboundAt, DateTimeOffset? freeEntryPointOpenedAt)
        : this(lastInboundAt, freeEntryPointOpenedAt, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LastInboundRecord"/> struct.</summary>
    /// <param name="lastInboundAt">The time of the user's most recent inbound message, if any.</param>
    /// <param name="freeEntryPointOpenedAt">The time a free-entry-point window opened, if any.</param>
    /// <param name="windowClosedThrough">The last inbound time Twilio had already counted when it said the window was closed, if it did.</param>
    public LastInboundRecord(DateTimeOffset? lastInboundAt, DateTimeOffset? freeEntryPointOpenedAt, DateTimeOffset? windowClosedThrough)
    {
        LastInboundAt = lastInboundAt;
        FreeEntryPointOpenedAt = freeEntryPointOpenedAt;
        WindowClosedThrough = windowClosedThrough;
    }

    /// <summary>Gets the time of the user's most recent inbound message, if any.</summary>
    public DateTimeOffset? LastInboundAt { get; }

    /// <summary>Gets the time a free-entry-point (Click-to-WhatsApp ad or Page call-to-action) window opened, if any.</summary>
    public DateTimeOffset? FreeEntryPointOpenedAt { get; }

    /// <summary>
    /// Gets the last inbound time that Twilio had already counted when it refused a free-form message with 63016 (the
    /// window is closed), or <see langword="null"/> when it never did. Inbound messages up to this time do not open
    /// the window again; a later one does.
    /// </summary>
    public DateTimeOffset? WindowClosedThrough { get; }

    /// <summary>
    /// Gets a value indicating whether Twilio said the window was closed and no inbound message has arrived since, so
    /// the 24-hour window is closed whatever <see cref="LastInboundAt"/> suggests.
    /// </summary>
    public bool IsClosedByTwilio => WindowClosedThrough is { } closed && (LastInboundAt is not { } last || last <= closed);

    /// <summary>Determines whether two records are equal.</summary>
    /// <param name="left">The first record.</param>
    /// <param name="right">The second record.</param>
    /// <returns><see langword="true"/> when all times are equal.</returns>
    public static bool operator ==(LastInboundRecord left, LastInboundRecord right) => left.Equals(right);

    /// <summary>Determines whether two records differ.</summary>
    /// <param name="left">The first record.</param>
    /// <param name="right">The second record.</param>
    /// <returns><see langword="true"/> when either time differs.</returns>
    public static bool operator !=(LastInboundRecord left, LastInboundRecord right) => !left.Equals(right);

    /// <summary>Determines whether this record equals another.</summary>
    /// <param name="other">The other record.</param>
    /// <returns><see langword="true"/> when all times are equal.</returns>
    public bool Equals(LastInboundRecord other) =>
        LastInboundAt == other.LastInboundAt && FreeEntryPointOpenedAt == other.FreeEntryPointOpenedAt && WindowClosedThrough == other.WindowClosedThrough;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is LastInboundRecord other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(LastInboundAt, FreeEntryPointOpenedAt, WindowClosedThrough);
}
