namespace OmniChannel.Messaging;

/// <summary>
/// Provides a list of recipients who must not be messaged (they opted out), per channel and sender scope.
/// </summary>
/// <remarks>
/// Twilio keeps its own block list for SMS and answers 21610 when you send to a blocked number; keep this list too,
/// for WhatsApp (where Twilio does not filter STOP unless Advanced Opt-Out is set up) and to avoid the failed request.
/// Recipient addresses are compared ordinally: store them normalized (E.164, <c>whatsapp:+E164</c>, identity).
/// </remarks>
public interface ISuppressionList
{
    /// <summary>Suppresses a recipient for a channel and scope.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="scope">The senders the suppression blocks.</param>
    /// <param name="recipient">The recipient address.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when the entry is new; <see langword="false"/> when it already existed.</returns>
    ValueTask<bool> SuppressAsync(MessagingChannel channel, SuppressionScope scope, string recipient, CancellationToken cancellationToken = default);

    /// <summary>Removes the suppression of a recipient for exactly this channel and scope (an opt-in).</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="scope">The scope whose entry to remove; entries for other scopes stay.</param>
    /// <param name="recipient">The recipient address.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when an entry was removed.</returns>
    ValueTask<bool> ReleaseAsync(MessagingChannel channel, SuppressionScope scope, string recipient, CancellationToken cancellationToken = default);

    /// <summary>
    /// Determines whether a recipient is suppressed for a message sent on a channel from a scope: true when an entry
    /// exists for that scope or for <see cref="SuppressionScope.All"/>.
    /// </summary>
    /// <param name="channel">The channel.</param>
    /// <param name="scope">
    /// The sender scope of the message: the Messaging Service when sending through one, otherwise the sender address.
    /// </param>
    /// <param name="recipient">The recipient address.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when the recipient must not be messaged.</returns>
    ValueTask<bool> IsSuppressedAsync(MessagingChannel channel, SuppressionScope scope, string recipient, CancellationToken cancellationToken = default);
}
