namespace OmniChannel.Messaging;

/// <summary>Represents the reason an input was rejected as a phone number, with a message naming the input.</summary>
public sealed class PhoneNumberParseError
{
    /// <summary>Initializes a new instance of the <see cref="PhoneNumberParseError"/> class.</summary>
    /// <param name="reason">Why the input was rejected.</param>
    /// <param name="input">The input as given (<see langword="null"/> is recorded as an empty string).</param>
    /// <param name="message">A message naming the input and the problem.</param>
    /// <exception cref="ArgumentException"><paramref name="message"/> is null or empty.</exception>
    public PhoneNumberParseError(PhoneNumberParseErrorReason reason, string? input, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(message);
        Reason = reason;
        Input = input ?? string.Empty;
        Message = message;
    }

    /// <summary>Gets why the input was rejected.</summary>
    public PhoneNumberParseErrorReason Reason { get; }

    /// <summary>Gets the input as given.</summary>
    public string Input { get; }

    /// <summary>Gets a message naming the input and the problem.</summary>
    public string Message { get; }

    /// <summary>Returns the message.</summary>
    /// <returns>The message.</returns>
    public override string ToString() => Message;
}
