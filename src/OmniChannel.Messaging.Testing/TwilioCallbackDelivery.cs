namespace OmniChannel.Messaging.Testing;

/// <summary>Represents one signed callback or webhook the emulator sent, and the receiver's answer.</summary>
public sealed class TwilioCallbackDelivery
{
    internal TwilioCallbackDelivery(string url, IReadOnlyList<KeyValuePair<string, string>> parameters, string signature, string idempotencyToken, int statusCode)
    {
        Url = url;
        Parameters = parameters;
        Signature = signature;
        IdempotencyToken = idempotencyToken;
        StatusCode = statusCode;
    }

    /// <summary>Gets the URL posted to, exactly as signed.</summary>
    public string Url { get; }

    /// <summary>Gets the form parameters sent, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; }

    /// <summary>Gets the <c>X-Twilio-Signature</c> header sent.</summary>
    public string Signature { get; }

    /// <summary>Gets the <c>I-Twilio-Idempotency-Token</c> header sent.</summary>
    public string IdempotencyToken { get; }

    /// <summary>Gets the HTTP status the receiver answered.</summary>
    public int StatusCode { get; }

    /// <summary>Gets the value of a parameter.</summary>
    /// <param name="name">The exact parameter name.</param>
    /// <returns>The value, or <see langword="null"/> when it was not sent.</returns>
    public string? Parameter(string name) => Parameters.LastOrDefault(p => string.Equals(p.Key, name, StringComparison.Ordinal)).Value;

    /// <inheritdoc/>
    public override string ToString() => $"POST {Url} -> {StatusCode}";
}
