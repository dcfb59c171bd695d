using System.Globalization;

namespace OmniChannel.Messaging.Testing;

/// <summary>
/// Represents a scripted misbehaviour of the emulator for matching requests: an error answer, a slow answer or a dropped
/// connection. Register one with <see cref="TwilioEmulator.InjectFault"/>.
/// </summary>
public sealed class EmulatedFault
{
    private EmulatedFault(int? statusCode, int? errorCode, string? message, TimeSpan? retryAfter, TimeSpan delay, bool dropsConnection)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        Message = message;
        RetryAfter = retryAfter;
        Delay = delay;
        DropsConnection = dropsConnection;
    }

    /// <summary>Gets the HTTP status answered, or <see langword="null"/> when the request is processed normally after <see cref="Delay"/>.</summary>
    public int? StatusCode { get; }

    /// <summary>Gets the Twilio error code written in the error body.</summary>
    public int? ErrorCode { get; }

    /// <summary>Gets the message written in the error body.</summary>
    public string? Message { get; }

    /// <summary>Gets the value sent in the <c>Retry-After</c> header, if any.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Gets how long the emulator waits (on the system clock) before answering or dropping the connection.</summary>
    public TimeSpan Delay { get; }

    /// <summary>Gets a value indicating whether the connection is aborted instead of answered.</summary>
    public bool DropsConnection { get; }

    /// <summary>Creates a fault that answers 429 with code 20429, as Twilio does when the account's concurrency is exceeded.</summary>
    /// <param name="retryAfter">The <c>Retry-After</c> value to send, in whole seconds; <see langword="null"/> sends none.</param>
    /// <returns>The fault.</returns>
    public static EmulatedFault TooManyRequests(TimeSpan? retryAfter = null) =>
        new(429, 20429, "Too Many Requests", retryAfter, TimeSpan.Zero, false);

    /// <summary>Creates a fault that answers a server error (500, 502, 503 or 504).</summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="statusCode"/> is not between 500 and 599.</exception>
    public static EmulatedFault ServerError(int statusCode = 500)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 500);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        return new(statusCode, 20000 + statusCode, statusCode == 503 ? "Service Unavailable" : "Internal Server Error", null, TimeSpan.Zero, false);
    }

    /// <summary>Creates a fault that answers with any status and Twilio error code.</summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="errorCode">The Twilio error code.</param>
    /// <param name="message">The error message.</param>
    /// <returns>The fault.</returns>
    public static EmulatedFault Error(int statusCode, int errorCode, string message)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentException.ThrowIfNullOrEmpty(message);
        return new(statusCode, errorCode, message, null, TimeSpan.Zero, false);
    }

    /// <summary>Creates a fault that waits before processing the request normally.</summary>
    /// <param name="delay">The wait.</param>
    /// <returns>The fault.</returns>
    public static EmulatedFault Slow(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new(null, null, null, null, delay, false);
    }

    /// <summary>Creates a fault that aborts the connection without an answer, after an optional wait.</summary>
    /// <param name="delay">The wait before the connection is aborted.</param>
    /// <returns>The fault.</returns>
    public static EmulatedFault DropConnection(TimeSpan delay = default) => new(null, null, null, null, delay, true);

    /// <inheritdoc/>
    public override string ToString() =>
        DropsConnection ? "DropConnection"
        : StatusCode is { } status ? $"{status}/{ErrorCode}" + (RetryAfter is { } r ? $" Retry-After {r.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s" : string.Empty)
        : $"Slow {Delay}";
}
