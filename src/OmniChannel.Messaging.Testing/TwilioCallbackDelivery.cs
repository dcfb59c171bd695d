namespace OmniChannel.Messaging.Testing;

/// <summary>Represents one signed callback or webhook the emulator sent, and the receiver's answer.</summary>
public sealed class TwilioCallbackDelivery
{
    internal TwilioCallbackDelivery(
        string url,
        IReadOnlyList<KeyValuePair<string, string>> parameters,
        string signature,
        string idempotencyToken,
        IReadOnlyList<string> deliveredTo,
        IReadOnlyList<int> statusCodes)
    {
        Url = url;
        Parameters = parameters;
        Signature = signature;
        IdempotencyToken = idempotencyToken;
        DeliveredTo = deliveredTo;
        StatusCodes = statusCodes;
    }

    /// <summary>
    /// Gets the public URL the callback was signed for, exactly as signed. Without
    /// <see cref="TwilioEmulatorOptions.WebhookInstances"/> it is also the URL posted to.
    /// </summary>
    public string Url { get; }

    /// <summary>
    /// Gets the URL each copy was posted to, in copy order: <see cref="Url"/> itself, or an instance's base URL followed by
    /// the path and query of <see cref="Url"/> when <see cref="TwilioEmulatorOptions.WebhookInstances"/> is set.
    /// </summary>
    /// <value>One entry per copy (<see cref="TwilioEmulatorOptions.DeliveriesPerWebhook"/>).</value>
    public IReadOnlyList<string> DeliveredTo { get; }

    /// <summary>Gets the form parameters sent, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; }

    /// <summary>Gets the <c>X-Twilio-Signature</c> header sent.</summary>
    public string Signature { get; }

    /// <summary>Gets the <c>I-Twilio-Idempotency-Token</c> header sent.</summary>
    public string IdempotencyToken { get; }

    /// <summary>Gets the HTTP status the receiver answered to the first copy.</summary>
    public int StatusCode => StatusCodes[0];

    /// <summary>Gets the HTTP status the receiver answered to each copy, in copy order (the order of <see cref="DeliveredTo"/>).</summary>
    /// <value>One entry per copy (<see cref="TwilioEmulatorOptions.DeliveriesPerWebhook"/>).</value>
    public IReadOnlyList<int> StatusCodes { get; }

    /// <summary>Gets the value of a parameter.</summary>
    /// <param name="name">The exact parameter name.</param>
    /// <returns>The value, or <see langword="null"/> when it was not sent.</returns>
    public string? Parameter(string name) => Parameters.LastOrDefault(p => string.Equals(p.Key, name, StringComparison.Ordinal)).Value;

    /// <inheritdoc/>
    public override string ToString() =>
        StatusCodes.Count == 1 && string.Equals(DeliveredTo[0], Url, StringComparison.Ordinal)
            ? $"POST {Url} -> {StatusCode}"
            : $"POST {Url} -> {string.Join(", ", DeliveredTo.Select((target, i) => $"{target} {StatusCodes[i]}"))}";
}
