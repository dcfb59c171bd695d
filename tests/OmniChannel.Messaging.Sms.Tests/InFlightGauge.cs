namespace OmniChannel.Messaging.Sms.Tests;

/// <summary>An HttpClient handler that counts the requests in flight at once and the highest count seen.</summary>
internal sealed class InFlightGauge : DelegatingHandler
{
    private int current;
    private int max;
    private int total;

    public int MaxObserved => Volatile.Read(ref max);

    public int Total => Volatile.Read(ref total);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref total);
        var now = Interlocked.Increment(ref current);
        int seen;
        while (now > (seen = Volatile.Read(ref max)) && Interlocked.CompareExchange(ref max, now, seen) != seen)
        {
        }

        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref current);
        }
    }
}
