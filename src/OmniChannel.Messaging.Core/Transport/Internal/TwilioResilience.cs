using System.Diagnostics;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace OmniChannel.Messaging.Transport.Internal;

/// <summary>
/// Builds one account's pipeline, outermost first: total timeout, retry, rate limiter, circuit breaker, attempt timeout.
/// The rate limiter sits inside the retry so every attempt takes a permit.
/// </summary>
internal static class TwilioResilience
{
    public static readonly ResiliencePropertyKey<TwilioCall> CallKey = new("OmniChannel.Messaging.TwilioCall");

    public static ResiliencePipeline<HttpResponseMessage> Build(
        string account,
        OmniChannelMessagingOptions options,
        TimeProvider timeProvider,
        TwilioTelemetry telemetry,
        ILogger logger,
        out RateLimiter? rateLimiter)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider, Name = $"OmniChannel.Messaging.Twilio:{account}" };
        builder.AddTimeout(options.TotalTimeout);

        var retry = options.Retry;
        if (retry.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = retry.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Constant,
                Delay = retry.BaseDelay,
                UseJitter = false,
                ShouldHandle = static args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.Properties.GetValue(CallKey, null!))),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(RetryDelay(args.Outcome, args.AttemptNumber, retry, timeProvider)),
                OnRetry = args =>
                {
                    var call = args.Context.Properties.GetValue(CallKey, null!);
                    var reason = Describe(args.Outcome);
                    telemetry.Retries.Add(1, new TagList
                    {
                        { "http.request.method", call.Request.Method.Method },
                        { "url.template", call.Request.DisplayRoute },
                        { "error.type", ErrorType(args.Outcome) },
                        { "twilio.account", account },
                    });
                    TwilioLog.RetryScheduled(logger, call.Request.Method.Method, call.Request.DisplayRoute, (long)args.RetryDelay.TotalMilliseconds, args.AttemptNumber + 1, reason, account);
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }

        rateLimiter = null;
        if (options.RateLimit.Enabled)
        {
            var limiter = CreateRateLimiter(options.RateLimit);
            rateLimiter = limiter;
            builder.AddRateLimiter(new RateLimiterStrategyOptions
            {
                RateLimiter = args => limiter.AcquireAsync(1, args.Context.CancellationToken),
                OnRejected = args =>
                {
                    var call = args.Context.Properties.GetValue(CallKey, null!);
                    telemetry.RateLimiterRejections.Add(1, new TagList
                    {
                        { "http.request.method", call.Request.Method.Method },
                        { "url.template", call.Request.DisplayRoute },
                        { "twilio.account", account },
                    });
                    TwilioLog.RateLimiterRejected(logger, call.Request.Method.Method, call.Request.DisplayRoute, call.Attempt + 1, account);
                    return default;
                },
            });
        }

        var breaker = options.CircuitBreaker;
        if (breaker.Enabled)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                ShouldHandle = static args => ValueTask.FromResult(IsServerFailure(args.Outcome)),
                OnOpened = args =>
                {
                    CountStateChange(telemetry, "open", account);
                    TwilioLog.CircuitOpened(logger, (long)args.BreakDuration.TotalMilliseconds, account);
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    CountStateChange(telemetry, "half_open", account);
                    TwilioLog.CircuitHalfOpened(logger, account);
                    return default;
                },
                OnClosed = _ =>
                {
                    CountStateChange(telemetry, "closed", account);
                    TwilioLog.CircuitClosed(logger, account);
                    return default;
                },
            });
        }

        builder.AddTimeout(options.AttemptTimeout);
        return builder.Build();
    }

    /// <summary>
    /// 429 is always safe (Twilio did not process it). Server errors, timeouts and broken connections are retried only
    /// for requests safe to repeat; a connection that never opened is safe for every request.
    /// </summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TwilioCall call) => outcome switch
    {
        { Result.StatusCode: HttpStatusCode.TooManyRequests } => true,
        { Result: { } response } => IsTransientStatus(response.StatusCode) && call.Request.IsSafeToRetry,
        { Exception: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } } => true,
        { Exception: HttpRequestException } => call.Request.IsSafeToRetry,
        { Exception: TimeoutRejectedException } => call.Request.IsSafeToRetry,
        _ => false,
    };

    internal static TimeSpan RetryDelay(Outcome<HttpResponseMessage> outcome, int retryIndex, TwilioRetryOptions retry, TimeProvider timeProvider)
    {
        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } throttled && RetryAfter(throttled, timeProvider) is { } requested)
        {
            return requested < retry.MaxRetryAfter ? requested : retry.MaxRetryAfter;
        }

        var exponential = retry.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retryIndex, 30));
        var capped = Math.Min(exponential, retry.MaxDelay.TotalMilliseconds);
        if (retry.UseJitter)
        {
            // Equal jitter: half the delay is fixed, half random, so retries spread out but never collapse to zero.
            capped = (capped / 2) + (Random.Shared.NextDouble() * capped / 2);
        }

        return TimeSpan.FromMilliseconds(capped);
    }

    internal static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider timeProvider)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>
    /// The <c>error.type</c> tag of a failed attempt, following the OpenTelemetry HTTP conventions: the status code for an
    /// answer outside 2xx, <c>timeout</c> for a timeout, otherwise the exception's full type name.
    /// </summary>
    internal static string? ErrorType(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result: { IsSuccessStatusCode: true } } => null,
        { Result: { } response } => ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
        { Exception: TimeoutRejectedException } => TwilioOutcome.Timeout,
        { Exception: { } e } => e.GetType().FullName,
        _ => null,
    };

    private static void CountStateChange(TwilioTelemetry telemetry, string state, string account) =>
        telemetry.CircuitBreakerStateChanges.Add(1, new KeyValuePair<string, object?>("twilio.circuit_breaker.state", state), new KeyValuePair<string, object?>("twilio.account", account));

    private static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static bool IsServerFailure(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result: { } response } => (int)response.StatusCode >= 500,
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        _ => false,
    };

    private static string Describe(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result: { } response } => $"HTTP {(int)response.StatusCode}",
        { Exception: TimeoutRejectedException } => "attempt timed out",
        { Exception: HttpRequestException e } => $"transport failure ({e.HttpRequestError})",
        { Exception: { } e } => e.GetType().Name,
        _ => "unknown",
    };

    private static TokenBucketRateLimiter CreateRateLimiter(TwilioRateLimitOptions options)
    {
        var (period, tokensPerPeriod) = Replenishment(options.PermitsPerSecond);
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.BurstSize > 0 ? options.BurstSize : tokensPerPeriod,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = period,
            QueueLimit = options.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    /// <summary>
    /// Chooses a replenishment step that keeps the rate smooth (a period of 10 ms or more) and never above the configured
    /// rate. The limiter's timer works in whole milliseconds (a 10.31 ms period fires every 10 ms), so the period is a whole
    /// number of milliseconds, and the shortest one within 1 % below the rate is taken (97/s: 3 tokens every 31 ms).
    /// </summary>
    internal static (TimeSpan Period, int Tokens) Replenishment(int permitsPerSecond)
    {
        for (var milliseconds = 10; milliseconds <= 1000; milliseconds++)
        {
            var tokens = (int)((long)permitsPerSecond * milliseconds / 1000);
            if (tokens >= 1 && tokens * 1000.0 / milliseconds >= permitsPerSecond * 0.99)
            {
                return (TimeSpan.FromMilliseconds(milliseconds), tokens);
            }
        }

        return (TimeSpan.FromSeconds(1), permitsPerSecond);
    }
}

/// <summary>The state of one logical call across its attempts.</summary>
internal sealed class TwilioCall(TwilioRequest request, Uri uri, CancellationToken callerToken)
{
    /// <summary>Gets the caller's own token; Polly's timeouts replace the context's token with a linked one.</summary>
    public CancellationToken CallerToken { get; } = callerToken;

    public TwilioRequest Request { get; } = request;

    public Uri Uri { get; } = uri;

    public int Attempt { get; set; }
}
