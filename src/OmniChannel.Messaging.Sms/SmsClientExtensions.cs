namespace OmniChannel.Messaging.Sms;

/// <summary>Provides convenience overloads of <see cref="ISmsClient"/>.</summary>
public static class SmsClientExtensions
{
    /// <summary>Sends a text message with the configured sender.</summary>
    /// <param name="client">The client.</param>
    /// <param name="to">The recipient as typed.</param>
    /// <param name="body">The text.</param>
    /// <param name="cancellationToken">The token to cancel the send with.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static Task<MessageSendResult> SendAsync(this ISmsClient client, string to, string body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(body);
        return client.SendAsync(new SmsMessage(to, body), cancellationToken);
    }

    /// <summary>Sends the same text to many recipients with bounded concurrency; results come back in recipient order.</summary>
    /// <param name="client">The client.</param>
    /// <param name="recipients">The recipients as typed.</param>
    /// <param name="body">The text.</param>
    /// <param name="cancellationToken">The token to cancel the batch with.</param>
    /// <returns>The results, in recipient order.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static Task<IReadOnlyList<MessageSendResult>> SendManyAsync(this ISmsClient client, IEnumerable<string> recipients, string body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(recipients);
        ArgumentNullException.ThrowIfNull(body);
        return client.SendManyAsync(recipients.Select(to => new SmsMessage(to, body)), cancellationToken);
    }
}
