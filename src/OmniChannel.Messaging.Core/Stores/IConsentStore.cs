namespace OmniChannel.Messaging;

/// <summary>
/// Provides storage of opt-in (consent) records: who agreed to receive messages on a channel, when, where and with what
/// proof. The WhatsApp client can require a record before it sends a template.
/// </summary>
/// <remarks>Recipient addresses are compared ordinally: store them normalized (<c>whatsapp:+E164</c>, E.164).</remarks>
public interface IConsentStore
{
    /// <summary>Records an opt-in; a newer record for the same recipient and channel replaces the older one.</summary>
    /// <param name="record">The opt-in.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>A task that completes when the record is stored.</returns>
    ValueTask RecordAsync(ConsentRecord record, CancellationToken cancellationToken = default);

    /// <summary>Records that a recipient withdrew consent on a channel.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="recipient">The recipient address.</param>
    /// <param name="revokedAt">The time consent was withdrawn.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns><see langword="true"/> when a record existed.</returns>
    ValueTask<bool> RevokeAsync(MessagingChannel channel, string recipient, DateTimeOffset revokedAt, CancellationToken cancellationToken = default);

    /// <summary>Gets the latest opt-in record of a recipient on a channel, revoked or not.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="recipient">The recipient address.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The record, or <see langword="null"/> when none exists.</returns>
    ValueTask<ConsentRecord?> GetAsync(MessagingChannel channel, string recipient, CancellationToken cancellationToken = default);
}
