using System.Net;

namespace OmniChannel.Messaging.Sending.Internal;

/// <summary>
/// Records, for one logical send, whether an HTTP request left for Twilio and the status of the last answer. The send
/// puts a probe in <see cref="Current"/> (an async-local, so it flows into the transport's pipeline and HttpClient
/// handlers); <see cref="SendProbeHandler"/> marks it. A probe may have a parent (a batch item), which is marked too.
/// </summary>
/// <remarks>
/// It counts the requests that may have been processed: one is added when a request is handed to the HttpClient and taken
/// back when Twilio answers that it refused it (a 4xx other than 408, 429 included), so a cancellation during the retry
/// delay after a 429 still counts as "nothing sent".
/// </remarks>
internal sealed class SendProbe(SendProbe? parent)
{
    private static readonly AsyncLocal<SendProbe?> Slot = new();
    private int maybeProcessed;

    /// <summary>Gets or sets the probe of the send running on this async flow.</summary>
    public static SendProbe? Current
    {
        get => Slot.Value;
        set => Slot.Value = value;
    }

    /// <summary>Gets a value indicating whether a request was handed to the HttpClient and not refused since (it may have reached Twilio).</summary>
    public bool Started => Volatile.Read(ref maybeProcessed) > 0;

    /// <summary>Gets the status of the last HTTP answer, when one came.</summary>
    public HttpStatusCode? LastStatus { get; private set; }

    public void MarkStarted()
    {
        for (var probe = this; probe is not null; probe = probe.Parent)
        {
            Interlocked.Increment(ref probe.maybeProcessed);
        }
    }

    public void MarkAnswered(HttpStatusCode status)
    {
        LastStatus = status;
        if ((int)status is >= 400 and < 500 && status != HttpStatusCode.RequestTimeout)
        {
            MarkNotProcessed();
        }
    }

    /// <summary>Takes back a request Twilio certainly did not process (refused with a 4xx, or a connection that never opened).</summary>
    public void MarkNotProcessed()
    {
        for (var probe = this; probe is not null; probe = probe.Parent)
        {
            Interlocked.Decrement(ref probe.maybeProcessed);
        }
    }

    private SendProbe? Parent { get; } = parent;
}

/// <summary>
/// The HttpClient handler of every Twilio account: it marks the current <see cref="SendProbe"/> when a request is handed
/// on (so a cancellation before that point is known not to have sent anything) and records the answer's status.
/// </summary>
internal sealed class SendProbeHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var probe = SendProbe.Current;
        probe?.MarkStarted();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception) when (exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
            or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError)
        {
            // The connection never opened, so no byte of the request reached Twilio.
            probe?.MarkNotProcessed();
            throw;
        }

        probe?.MarkAnswered(response.StatusCode);
        return response;
    }
}
