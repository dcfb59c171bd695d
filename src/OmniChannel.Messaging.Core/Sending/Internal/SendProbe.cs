using System.Net;

namespace OmniChannel.Messaging.Sending.Internal;

/// <summary>
/// Records, for one logical send, whether an HTTP request left for Twilio and the status of the last answer. The send
/// puts a probe in <see cref="Current"/> (an async-local, so it flows into the transport's pipeline and HttpClient
/// handlers); <see cref="SendProbeHandler"/> marks it. A probe may have a parent (a batch item), which is marked too.
/// </summary>
internal sealed class SendProbe(SendProbe? parent)
{
    private static readonly AsyncLocal<SendProbe?> Slot = new();
    private int started;

    /// <summary>Gets or sets the probe of the send running on this async flow.</summary>
    public static SendProbe? Current
    {
        get => Slot.Value;
        set => Slot.Value = value;
    }

    /// <summary>Gets a value indicating whether an HTTP request was handed to the HttpClient (it may have reached Twilio).</summary>
    public bool Started => Volatile.Read(ref started) != 0;

    /// <summary>Gets the status of the last HTTP answer, when one came.</summary>
    public HttpStatusCode? LastStatus { get; private set; }

    public void MarkStarted()
    {
        for (var probe = this; probe is not null; probe = probe.Parent)
        {
            Volatile.Write(ref probe.started, 1);
        }
    }

    public void MarkAnswered(HttpStatusCode status) => LastStatus = status;

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
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        probe?.MarkAnswered(response.StatusCode);
        return response;
    }
}
