namespace OmniChannel.Messaging.WhatsApp;

/// <summary>
/// Provides compliant WhatsApp sending over Twilio: session messages inside the 24-hour customer service window, templates
/// (ContentSid) outside it, media checks, consent records, the suppression pre-check and idempotency keys.
/// </summary>
/// <remarks>Convenience overloads are in <see cref="WhatsAppClientExtensions"/>. Implementations are thread-safe.</remarks>
public interface IWhatsAppClient
{
    /// <summary>
    /// Sends one message. A session message inside the window goes out free-form; outside it the fallback template is
    /// sent, or, without one, the result is <see cref="MessageSendOutcome.TemplateRequired"/> and Twilio is not called. A
    /// scheduled session message is judged against the window at its SendAt. A message whose idempotency key already has a
    /// record gets the first result (marked <see cref="MessageSendResult.IsDuplicate"/>) before the suppression, window,
    /// consent and schedule checks run.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">The token to cancel the send with.</param>
    /// <returns>The result; <see cref="MessageSendResult.ContentSid"/> tells whether a template went out.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The message is malformed: no content, a template together with a body, more than one media item, ShortenUrls or SendAt without a Messaging Service, SendAt outside 15 minutes to 35 days ahead.</exception>
    /// <exception cref="IdempotencyKeyMismatchException">The idempotency key was already used for a different message.</exception>
    Task<MessageSendResult> SendAsync(WhatsAppMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends many messages with bounded concurrency under the account's rate limit; one result per message, in input order, each carrying its message's idempotency key.
    /// A malformed message gets a <see cref="MessageSendOutcome.Rejected"/> result instead of stopping the batch.
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
    Task<IReadOnlyList<MessageSendResult>> SendManyAsync(IEnumerable<WhatsAppMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Gets whether the 24-hour customer service window with a recipient is open now, as the client will judge it.</summary>
    /// <param name="recipient">The recipient as typed.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The window decision; closed after Twilio answered 63016 until the recipient writes again.</returns>
    /// <exception cref="FormatException"><paramref name="recipient"/> is not a phone number.</exception>
    ValueTask<CustomerServiceWindowDecision> GetWindowAsync(string recipient, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies a message status callback to the policies: 63016 marks the recipient's window closed, 21610 suppresses the
    /// recipient; the error is classified as a synchronous error with the same code would be.
    /// </summary>
    /// <param name="recipient">The callback's <c>To</c>.</param>
    /// <param name="status">The callback's <c>MessageStatus</c>.</param>
    /// <param name="errorCode">The callback's <c>ErrorCode</c>, if any.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The classification; <see cref="MessageErrorCategory.None"/> for a status that is not a failure.</returns>
    ValueTask<MessageErrorCategory> ApplyStatusCallbackAsync(string recipient, MessageStatus status, int? errorCode, CancellationToken cancellationToken = default);
}
