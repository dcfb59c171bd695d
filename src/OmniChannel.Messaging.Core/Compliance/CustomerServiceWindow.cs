namespace OmniChannel.Messaging;

/// <summary>
/// Provides the WhatsApp customer-service-window rule: a free-form (session) message is allowed for 24 hours after
/// the user's most recent inbound message, and only a template is allowed otherwise.
/// </summary>
/// <remarks>
/// The window is half-open: a message sent exactly 24 hours after the inbound one is outside it. A free-entry-point
/// window (Click-to-WhatsApp ad or Facebook Page call-to-action, 72 hours) changes pricing, not this rule, so it is
/// reported separately and never makes free-form allowed on its own. Time comes from the <see cref="TimeProvider"/>.
/// </remarks>
public sealed class CustomerServiceWindow
{
    private readonly TimeProvider timeProvider;

    /// <summary>Initializes a new instance of the <see cref="CustomerServiceWindow"/> class.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    public CustomerServiceWindow(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.timeProvider = timeProvider;
    }

    /// <summary>Gets the length of the customer service window: 24 hours.</summary>
    public static TimeSpan Length { get; } = TimeSpan.FromHours(24);

    /// <summary>Gets the length of a free-entry-point window: 72 hours.</summary>
    public static TimeSpan FreeEntryPointLength { get; } = TimeSpan.FromHours(72);

    /// <summary>Decides, at the current time, whether a free-form message is allowed.</summary>
    /// <param name="lastInboundAt">The time of the user's most recent inbound message, or <see langword="null"/> when the user never wrote.</param>
    /// <param name="freeEntryPointOpenedAt">The time a free-entry-point window opened, if any.</param>
    /// <returns>The decision, with the window's expiry time.</returns>
    public CustomerServiceWindowDecision Evaluate(DateTimeOffset? lastInboundAt, DateTimeOffset? freeEntryPointOpenedAt = null) =>
        new(timeProvider.GetUtcNow(), lastInboundAt + Length, freeEntryPointOpenedAt + FreeEntryPointLength);

    /// <summary>
    /// Decides, at the current time, whether a free-form message is allowed, from the stored times; a window Twilio said
    /// was closed (<see cref="LastInboundRecord.IsClosedByTwilio"/>) counts as closed until the user writes again.
    /// </summary>
    /// <param name="store">The store of last inbound times.</param>
    /// <param name="senderAddress">Your WhatsApp sender, for example <c>whatsapp:+14155238886</c>.</param>
    /// <param name="userAddress">The user, for example <c>whatsapp:+447700900123</c>.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The decision, with the window's expiry time.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    public async ValueTask<CustomerServiceWindowDecision> EvaluateAsync(
        ILastInboundStore store, string senderAddress, string userAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var record = await store.GetAsync(senderAddress, userAddress, cancellationToken).ConfigureAwait(false);

        // Twilio's 63016 outranks our times (an inbound message we recorded that it did not count, or clock skew) until
        // the user writes again.
        return Evaluate(record?.IsClosedByTwilio == true ? null : record?.LastInboundAt, record?.FreeEntryPointOpenedAt);
    }
}
