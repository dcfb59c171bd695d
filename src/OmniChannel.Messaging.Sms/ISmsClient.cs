namespace OmniChannel.Messaging.Sms;

/// <summary>
/// Provides compliant SMS and MMS sending over Twilio Programmable Messaging: the recipient normalized to E.164, the
/// suppression list checked first (no HTTP call for an opted-out recipient), idempotency keys, and failures returned as
/// classified results.
/// </summary>
/// <remarks>Convenience overloads are in <see cref="SmsClientExtensions"/>. Implementations are thread-safe.</remarks>
public interface ISmsClient
{
    /// <summary>
    /// Sends one message. A message whose idempotency key already has a record gets that record's result (marked
    /// <see cref="MessageSendResult.IsDuplicate"/>) before the suppression and schedule checks run.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">The token to cancel the send with.</param>
    /// <returns>The result: accepted, skipped (suppressed, invalid recipient or content) with the reason, failed with the classified Twilio error, or "may have been sent".</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The message breaks a request rule: a <c>whatsapp:</c> (or other channel) recipient, a malformed Messaging Service SID,
    /// a schedule without one or outside 15 minutes to 35 days ahead, a body over 1,600 characters, more than 10 media URLs.
    /// </exception>
    /// <exception cref="IdempotencyKeyMismatchException">The idempotency key was already used for a different message.</exception>
    Task<MessageSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends many messages with bounded concurrency (<see cref="SmsOptions.MaxConcurrency"/>) under the account's client-side
    /// rate limit, returning one result per message in input order; every result carries its message's idempotency key. Suppressed and invalid recipients are skipped with
    /// reasons; a message that breaks a request rule gets a <see cref="MessageSendOutcome.Rejected"/> result instead of
    /// stopping the batch.
    /// </summary>
    /// <param name="messages">The messages.</param>
    /// <param name="cancellationToken">The token to cancel the batch with.</param>
    /// <returns>The results, in input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="messages"/> holds a <see langword="null"/> item (the message names its index); nothing is sent.</exception>
    /// <exception cref="MessageBatchCanceledException">
    /// <paramref name="cancellationToken"/> was canceled; its <see cref="MessageBatchCanceledException.Results"/> tell which
    /// messages were sent, which may have been (in flight) and which were not (<see cref="MessageSendOutcome.Canceled"/>).
    /// </exception>
    Task<IReadOnlyList<MessageSendResult>> SendManyAsync(IEnumerable<SmsMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Gets the current state of a sent message: status, error code, segments and price.</summary>
    /// <param name="messageSid">The message SID (<c>SM…</c> or <c>MM…</c>).</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The message's current state.</returns>
    /// <exception cref="ArgumentException"><paramref name="messageSid"/> is not an SM or MM SID.</exception>
    /// <exception cref="TwilioApiException">Twilio answered with an error, for example 404.</exception>
    Task<MessageSendResult> GetAsync(string messageSid, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies a message status callback to the policies (a failed 21610 suppresses the recipient for the message's own
    /// sender: the callback's Messaging Service, else its From, else the configured sender) and classifies its error
    /// exactly as a synchronous error with the same code.
    /// </summary>
    /// <param name="recipient">The callback's <c>To</c>.</param>
    /// <param name="status">The callback's <c>MessageStatus</c>.</param>
    /// <param name="errorCode">The callback's <c>ErrorCode</c>, if any.</param>
    /// <param name="from">The callback's <c>From</c>, or <see langword="null"/> to use the configured sender.</param>
    /// <param name="messagingServiceSid">The callback's <c>MessagingServiceSid</c>, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The classification; <see cref="MessageErrorCategory.None"/> for a status that is not a failure.</returns>
    ValueTask<MessageErrorCategory> ApplyStatusCallbackAsync(
        string recipient, MessageStatus status, int? errorCode, string? from = null, string? messagingServiceSid = null, CancellationToken cancellationToken = default);
}
