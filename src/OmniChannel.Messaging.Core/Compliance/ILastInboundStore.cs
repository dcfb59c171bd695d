namespace OmniChannel.Messaging;

/// <summary>
/// Provides storage of the times that open WhatsApp windows for a user and sender: the last inbound message
/// (24-hour customer service window), the free-entry-point opening (72 hours), and Twilio's word that the window closed.
/// </summary>
/// <remarks>
/// Webhooks arrive out of order: implementations keep the latest time of each kind, never move it back.
/// Addresses are compared ordinally: pass them normalized (for example <c>whatsapp:+14155238886</c>).
/// </remarks>
public interface ILastInboundStore
{
    /// <summary>Records an inbound message from a user to a sender, keeping the later of the stored and given times.</summary>
    /// <param name="senderAddress">Your sender (the inbound message's <c>To</c>).</param>
    /// <param name="userAddress">The user (the inbound message's <c>From</c>).</param>
    /// <param name="receivedAt">The time the message was received.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when the time is stored.</returns>
    ValueTask RecordInboundAsync(string senderAddress, string userAddress, DateTimeOffset receivedAt, CancellationToken cancellationToken = default);

    /// <summary>Records that a free-entry-point window opened, keeping the later of the stored and given times.</summary>
    /// <param name="senderAddress">Your sender.</param>
    /// <param name="userAddress">The user.</param>
    /// <param name="openedAt">The time the window opened (your first reply to the entry-point message).</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when the time is stored.</returns>
    ValueTask RecordFreeEntryPointAsync(string senderAddress, string userAddress, DateTimeOffset openedAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that Twilio refused a free-form message to the user with 63016 (outside the window), keeping the later of
    /// the stored and given times, so every instance sending from this sender treats the window as closed until the
    /// user writes again.
    /// </summary>
    /// <param name="senderAddress">Your sender.</param>
    /// <param name="userAddress">The user.</param>
    /// <param name="closedThrough">The last inbound time known when Twilio answered (or <see cref="DateTimeOffset.UnixEpoch"/> when none was).</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when the mark is stored.</returns>
    ValueTask RecordWindowClosedAsync(string senderAddress, string userAddress, DateTimeOffset closedThrough, CancellationToken cancellationToken = default);

    /// <summary>Gets the stored times for a user and sender.</summary>
    /// <param name="senderAddress">Your sender.</param>
    /// <param name="userAddress">The user.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The stored times, or <see langword="null"/> when nothing is stored.</returns>
    ValueTask<LastInboundRecord?> GetAsync(string senderAddress, string userAddress, CancellationToken cancellationToken = default);
}
