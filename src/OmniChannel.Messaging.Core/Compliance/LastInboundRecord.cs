namespace OmniChannel.Messaging;

/// <summary>Represents what a last-inbound store knows about one user and sender: the times that open WhatsApp windows.</summary>
public readonly struct LastInboundRecord : IEquatable<LastInboundRecord>
{
    /// <summary>Initializes a new instance of the <see cref="LastInboundRecord"/> struct.</summary>
    /// <param name="lastInboundAt">The time of the user's most recent inbound message, if any.</param>
    /// <param name="freeEntryPointOpenedAt">The time a free-entry-point window opened, if any.</param>
    public LastInboundRecord(DateTimeOffset? lastInboundAt, DateTimeOffset? freeEntryPointOpenedAt)
    {
        LastInboundAt = lastInboundAt;
        FreeEntryPointOpenedAt = freeEntryPointOpenedAt;
    }

    /// <summary>Gets the time of the user's most recent inbound message, if any.</summary>
    public DateTimeOffset? LastInboundAt { get; }

    /// <summary>Gets the time a free-entry-point (Click-to-WhatsApp ad or Page call-to-action) window opened, if any.</summary>
    public DateTimeOffset? FreeEntryPointOpenedAt { get; }

    /// <summary>Determines whether two records are equal.</summary>
    /// <param name="left">The first record.</param>
    /// <param name="right">The second record.</param>
    /// <returns><see langword="true"/> when both times are equal.</returns>
    public static bool operator ==(LastInboundRecord left, LastInboundRecord right) => left.Equals(right);

    /// <summary>Determines whether two records differ.</summary>
    /// <param name="left">The first record.</param>
    /// <param name="right">The second record.</param>
    /// <returns><see langword="true"/> when either time differs.</returns>
    public static bool operator !=(LastInboundRecord left, LastInboundRecord right) => !left.Equals(right);

    /// <summary>Determines whether this record equals another.</summary>
    /// <param name="other">The other record.</param>
    /// <returns><see langword="true"/> when both times are equal.</returns>
    public bool Equals(LastInboundRecord other) =>
        LastInboundAt == other.LastInboundAt && FreeEntryPointOpenedAt == other.FreeEntryPointOpenedAt;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is LastInboundRecord other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(LastInboundAt, FreeEntryPointOpenedAt);
}
