namespace OmniChannel.Messaging.Stores.Internal;

/// <summary>The argument checks every <see cref="IWebhookOutbox"/> call makes before it touches its store.</summary>
internal static class OutboxArguments
{
    public static void Check(QueuedWebhook webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentException.ThrowIfNullOrEmpty(webhook.Kind, nameof(webhook));
        ArgumentException.ThrowIfNullOrEmpty(webhook.PartitionKey, nameof(webhook));
        ArgumentNullException.ThrowIfNull(webhook.Parameters, nameof(webhook));
    }

    public static void Check(int maxCount, TimeSpan lease)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
    }
}
