namespace OmniChannel.Messaging;

/// <summary>
/// Provides the fold of out-of-order, duplicated status reports for one message into its current status.
/// </summary>
/// <remarks>
/// <para>
/// The reducer keeps the greatest event under a fixed total order, so the result does not depend on the order the
/// events arrive in, a duplicate changes nothing, and two partial folds can be merged (<see cref="Merge"/>) into the
/// fold of all their events: a state kept per instance or per shard converges. Precedence, lowest first:
/// </para>
/// <list type="number">
/// <item><description>an unknown status (a value Twilio may add later), ordered by its text;</description></item>
/// <item><description>transient: <c>accepted</c> &lt; <c>scheduled</c> &lt; <c>queued</c> &lt; <c>sending</c> &lt; <c>receiving</c>;</description></item>
/// <item><description><c>sent</c> &lt; <c>received</c>;</description></item>
/// <item><description><c>partially_delivered</c>;</description></item>
/// <item><description>the carrier outcome, <c>delivered</c> or <c>undelivered</c>: the one with the later timestamp wins,
/// and on equal timestamps <c>undelivered</c> wins (a delivery report must be strictly later to overturn a failure);</description></item>
/// <item><description><c>read</c>: proof the recipient saw the message, so it beats either outcome;</description></item>
/// <item><description>terminal failures: <c>canceled</c> &lt; <c>failed</c>; nothing overturns them.</description></item>
/// </list>
/// <para>
/// Within a rank the later timestamp wins, then the greater error code (no code is least). Events still equal then are
/// ordered by their timestamp's UTC offset (the greater offset wins) and by the ordinal status text (unknown statuses
/// that differ only in letter case; known statuses are always in Twilio's lower-case spelling), so <see cref="Compare"/>
/// returns zero only for identical events and the winner, its text, offset and error code, never depends on arrival
/// order. Reducing allocates nothing.
/// </para>
/// </remarks>
public static class MessageStatusReducer
{
    private const int TierEmpty = -1;
    private const int TierUnknown = 0;
    private const int TierTransient = 1;
    private const int TierSent = 2;
    private const int TierPartial = 3;
    private const int TierOutcome = 4;
    private const int TierRead = 5;
    private const int TierTerminal = 6;

    // Indexed like MessageStatus.KnownIndex: accepted, scheduled, queued, sending, sent, delivered, read,
    // undelivered, failed, canceled, receiving, received, partially_delivered.
    private static readonly (int Tier, int Rank)[] Precedence =
    [
        (TierTransient, 1), (TierTransient, 2), (TierTransient, 3), (TierTransient, 4), (TierSent, 1),
        (TierOutcome, 1), (TierRead, 1), (TierOutcome, 2), (TierTerminal, 2), (TierTerminal, 1),
        (TierTransient, 5), (TierSent, 2), (TierPartial, 1),
    ];

    /// <summary>Folds one event into the current state.</summary>
    /// <param name="current">The state so far; <see langword="default"/> before the first event.</param>
    /// <param name="next">The event that arrived.</param>
    /// <returns>The new state: whichever of the two has precedence.</returns>
    public static MessageStatusEvent Apply(in MessageStatusEvent current, in MessageStatusEvent next) =>
        Compare(next, current) > 0 ? next : current;

    /// <summary>Merges two states, each the fold of some events, into the fold of all of them.</summary>
    /// <param name="left">One state.</param>
    /// <param name="right">The other state.</param>
    /// <returns>The merged state.</returns>
    public static MessageStatusEvent Merge(in MessageStatusEvent left, in MessageStatusEvent right) =>
        Compare(right, left) > 0 ? right : left;

    /// <summary>Folds a sequence of events, in any order, into the current state.</summary>
    /// <param name="events">The events.</param>
    /// <returns>The winning event; <see langword="default"/> when there are none.</returns>
    public static MessageStatusEvent Reduce(ReadOnlySpan<MessageStatusEvent> events)
    {
        var state = default(MessageStatusEvent);
        foreach (ref readonly var e in events)
        {
            if (Compare(e, state) > 0)
            {
                state = e;
            }
        }

        return state;
    }

    /// <summary>Compares two events by the reducer's precedence.</summary>
    /// <param name="x">The first event.</param>
    /// <param name="y">The second event.</param>
    /// <returns>A positive number when <paramref name="x"/> wins, negative when <paramref name="y"/> wins, zero only when the events are identical (status text, timestamp and offset, error code).</returns>
    public static int Compare(in MessageStatusEvent x, in MessageStatusEvent y)
    {
        var (xTier, xRank) = Classify(x.Status);
        var (yTier, yRank) = Classify(y.Status);
        if (xTier != yTier)
        {
            return xTier.CompareTo(yTier);
        }

        int order;
        if (xTier == TierOutcome)
        {
            order = x.Timestamp.UtcTicks.CompareTo(y.Timestamp.UtcTicks);
            if (order != 0)
            {
                return order;
            }
        }

        order = xRank.CompareTo(yRank);
        if (order != 0)
        {
            return order;
        }

        if (xTier == TierUnknown)
        {
            order = string.Compare(x.Status.Value, y.Status.Value, StringComparison.OrdinalIgnoreCase);
            if (order != 0)
            {
                return order;
            }
        }

        order = x.Timestamp.UtcTicks.CompareTo(y.Timestamp.UtcTicks);
        if (order != 0)
        {
            return order;
        }

        order = (x.ErrorCode ?? long.MinValue).CompareTo(y.ErrorCode ?? long.MinValue);
        if (order != 0)
        {
            return order;
        }

        // The same instant written with different offsets, or an unknown status in another letter case: still one winner.
        order = x.Timestamp.Offset.Ticks.CompareTo(y.Timestamp.Offset.Ticks);
        return order != 0 ? order : string.CompareOrdinal(x.Status.Value, y.Status.Value);
    }

    private static (int Tier, int Rank) Classify(MessageStatus status)
    {
        if (status.IsEmpty)
        {
            return (TierEmpty, 0);
        }

        var index = MessageStatus.KnownIndex(status.Value);
        return index < 0 ? (TierUnknown, 0) : Precedence[index];
    }
}
