namespace OmniChannel.Messaging;

/// <summary>
/// Represents the cancellation of a batch send (<c>SendManyAsync</c>) that had started: it carries one result per
/// message, in input order, so the caller can tell who got a message. Messages whose request never left are
/// <see cref="MessageSendOutcome.Canceled"/>; messages whose request was in flight are <see cref="MessageSendOutcome.MaybeSent"/>;
/// the others keep their result.
/// </summary>
/// <remarks>It derives from <see cref="OperationCanceledException"/>, so code that only handles cancellation keeps working.</remarks>
public sealed class MessageBatchCanceledException : OperationCanceledException
{
    /// <summary>Initializes a new instance of the <see cref="MessageBatchCanceledException"/> class.</summary>
    public MessageBatchCanceledException()
        : this("The batch send was canceled.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MessageBatchCanceledException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public MessageBatchCanceledException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MessageBatchCanceledException"/> class with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public MessageBatchCanceledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MessageBatchCanceledException"/> class with the batch's results.</summary>
    /// <param name="results">One result per message, in input order.</param>
    /// <param name="cancellationToken">The token that canceled the batch.</param>
    /// <exception cref="ArgumentNullException"><paramref name="results"/> is <see langword="null"/>.</exception>
    public MessageBatchCanceledException(IReadOnlyList<MessageSendResult> results, CancellationToken cancellationToken)
        : base(Describe(results), cancellationToken)
    {
        Results = results;
    }

    /// <summary>Gets one result per message of the batch, in input order.</summary>
    public IReadOnlyList<MessageSendResult> Results { get; } = [];

    private static string Describe(IReadOnlyList<MessageSendResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var canceled = results.Count(r => r.Outcome == MessageSendOutcome.Canceled);
        var maybe = results.Count(r => r.Outcome == MessageSendOutcome.MaybeSent);
        return $"The batch send was canceled: {results.Count - canceled - maybe} of {results.Count} messages finished, {maybe} may have been sent, {canceled} were not sent. See Results.";
    }
}
