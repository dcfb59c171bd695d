namespace OmniChannel.Messaging;

/// <summary>
/// Represents the error raised when an idempotency key is reused with a different request (another recipient, sender,
/// body, media or template) while the first send is remembered: the key identifies one message, so nothing is sent.
/// </summary>
public sealed class IdempotencyKeyMismatchException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="IdempotencyKeyMismatchException"/> class.</summary>
    public IdempotencyKeyMismatchException()
        : this("The idempotency key was already used with a different request.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="IdempotencyKeyMismatchException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public IdempotencyKeyMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="IdempotencyKeyMismatchException"/> class with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public IdempotencyKeyMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="IdempotencyKeyMismatchException"/> class for a key and the first send's result.</summary>
    /// <param name="idempotencyKey">The key, as the caller gave it.</param>
    /// <param name="firstMessageSid">The SID of the message the key was first used for, if Twilio created one.</param>
    public IdempotencyKeyMismatchException(string idempotencyKey, string? firstMessageSid)
        : base($"The idempotency key '{idempotencyKey}' was already used for a different request"
            + (firstMessageSid is null ? "" : $" (message {firstMessageSid})")
            + "; nothing was sent. Use a new key for a different message, or repeat the first request unchanged.")
    {
        IdempotencyKey = idempotencyKey;
        FirstMessageSid = firstMessageSid;
    }

    /// <summary>Gets the idempotency key that was reused.</summary>
    public string? IdempotencyKey { get; }

    /// <summary>Gets the SID of the message the key was first used for, when Twilio created one.</summary>
    public string? FirstMessageSid { get; }
}
