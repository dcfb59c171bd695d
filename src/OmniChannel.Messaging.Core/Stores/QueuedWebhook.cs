namespace OmniChannel.Messaging;

/// <summary>
/// One accepted webhook as a durable queue holds it: what kind it is, the key that orders it, the parameters Twilio
/// posted (in order, repeated keys kept) and when it arrived. The receiver rebuilds the typed payload from these.
/// </summary>
public sealed record QueuedWebhook
{
    /// <summary>Gets the webhook's kind as the receiver names it (for example <c>inbound</c>, <c>status</c>, <c>conversation</c>).</summary>
    public required string Kind { get; init; }

    /// <summary>
    /// Gets the partition key: webhooks with one key are processed one at a time, oldest first, whichever instance
    /// claims them (a conversation, a sender, a message).
    /// </summary>
    public required string PartitionKey { get; init; }

    /// <summary>Gets the parameters Twilio posted, in arrival order, repeated keys kept.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; }

    /// <summary>Gets when the receiver accepted the webhook.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Gets the delivery's dedupe key, or <see langword="null"/> when the delivery carried nothing to derive one from.</summary>
    public string? DedupeKey { get; init; }

    /// <summary>Gets the queue's identifier for the webhook; 0 until the queue has stored it.</summary>
    public long Id { get; init; }

    /// <summary>Gets the lease under which the webhook was claimed; <see cref="Guid.Empty"/> when it is not claimed.</summary>
    public Guid LeaseId { get; init; }

    /// <summary>Gets how many times the webhook has been claimed, this claim included.</summary>
    public int Attempt { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{Kind} webhook {Id} (partition {PartitionKey}, attempt {Attempt})";
}
