using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using System.Text;

namespace OmniChannel.Messaging;

/// <summary>
/// Represents the settings of one Twilio account used by OmniChannel.Messaging: credentials, endpoints, timeouts,
/// retries, the circuit breaker and the client-side rate limit.
/// </summary>
/// <remarks>
/// The default (unnamed) account falls back to the environment variables <c>TWILIO_ACCOUNT_SID</c>, <c>TWILIO_API_KEY_SID</c>,
/// <c>TWILIO_API_KEY_SECRET</c> and <c>TWILIO_AUTH_TOKEN</c> as one set: only when code and configuration set none of
/// <see cref="ApiKeySid"/>, <see cref="ApiKeySecret"/> and <see cref="AuthToken"/>, and only when <c>TWILIO_ACCOUNT_SID</c>,
/// if set, matches an <see cref="AccountSid"/> set in code. An API key and an auth token may both be set: the API key
/// authenticates REST calls, and the auth token is what webhook signatures are checked with. The options are validated
/// when the host starts. Secrets never appear in <see cref="ToString"/>.
/// </remarks>
public sealed class OmniChannelMessagingOptions
{
    /// <summary>Gets or sets the Twilio account SID (<c>AC</c> followed by 32 hexadecimal characters).</summary>
    /// <value>The default value is <see langword="null"/>, which falls back to <c>TWILIO_ACCOUNT_SID</c> when no credential is set in code or configuration.</value>
    public string? AccountSid { get; set; }

    /// <summary>Gets or sets the API key SID (<c>SK</c> followed by 32 hexadecimal characters). API keys are the preferred credential.</summary>
    /// <value>The default value is <see langword="null"/>, which falls back to <c>TWILIO_API_KEY_SID</c> when no credential is set in code or configuration (see the remarks on the type).</value>
    public string? ApiKeySid { get; set; }

    /// <summary>Gets or sets the secret of the API key named by <see cref="ApiKeySid"/>.</summary>
    /// <value>The default value is <see langword="null"/>, which falls back to <c>TWILIO_API_KEY_SECRET</c> when no credential is set in code or configuration (see the remarks on the type).</value>
    public string? ApiKeySecret { get; set; }

    /// <summary>
    /// Gets or sets the account's primary auth token. It authenticates REST calls when no API key is set (with an API key
    /// set, the key does), and it is the key that webhook signatures are checked with, so both may be set.
    /// </summary>
    /// <value>The default value is <see langword="null"/>, which falls back to <c>TWILIO_AUTH_TOKEN</c> when no credential is set in code or configuration (see the remarks on the type).</value>
    public string? AuthToken { get; set; }

    /// <summary>Gets or sets the Twilio region to send requests to, for example <c>ie1</c> or <c>au1</c>.</summary>
    /// <value>The default value is <see langword="null"/>: Twilio's default region (<c>us1</c>).</value>
    public string? Region { get; set; }

    /// <summary>Gets or sets the Twilio edge location to send requests through, for example <c>dublin</c> or <c>sydney</c>.</summary>
    /// <value>The default value is <see langword="null"/>: no edge in the host name (with an edge and no region, <c>us1</c> is used).</value>
    public string? Edge { get; set; }

    /// <summary>
    /// Gets or sets the base URL of the core REST API (Programmable Messaging, <c>/2010-04-01</c>). Set it to point the
    /// client at an emulator or a mock; it overrides <see cref="Region"/> and <see cref="Edge"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: <c>https://api.twilio.com</c>, adjusted for region and edge.</value>
    public Uri? ApiBaseUrl { get; set; }

    /// <summary>
    /// Gets or sets the base URL of the Conversations API (<c>/v1</c>). Set it to point the client at an emulator or a mock;
    /// it overrides <see cref="Region"/> and <see cref="Edge"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: <c>https://conversations.twilio.com</c>, adjusted for region and edge.</value>
    public Uri? ConversationsBaseUrl { get; set; }

    /// <summary>Gets or sets a value indicating whether unset credentials are read from the <c>TWILIO_*</c> environment variables.</summary>
    /// <value>The default value is <see langword="true"/>. Only the default (unnamed) account reads them.</value>
    public bool UseEnvironmentVariables { get; set; } = true;

    /// <summary>Gets or sets the time one HTTP attempt may take, from sending the request to reading the whole response.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the time one call may take in all, retries and their delays included.</summary>
    /// <value>The default value is 100 seconds.</value>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Gets or sets the retry settings.</summary>
    /// <value>The default value is a <see cref="TwilioRetryOptions"/> with its own defaults.</value>
    [ValidateObjectMembers]
    public TwilioRetryOptions Retry { get; set; } = new();

    /// <summary>Gets or sets the circuit-breaker settings.</summary>
    /// <value>The default value is a <see cref="TwilioCircuitBreakerOptions"/> with its own defaults.</value>
    [ValidateObjectMembers]
    public TwilioCircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>Gets or sets the client-side rate-limit settings.</summary>
    /// <value>The default value is a <see cref="TwilioRateLimitOptions"/> with its own defaults (disabled).</value>
    [ValidateObjectMembers]
    public TwilioRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Returns a description of the settings in which secrets are masked.</summary>
    /// <returns>
    /// The settings, with <see cref="ApiKeySecret"/> and <see cref="AuthToken"/> shown only as set or not set, and any user
    /// name and password in a base URL replaced by <c>***</c>.
    /// </returns>
    public override string ToString()
    {
        var builder = new StringBuilder("OmniChannelMessagingOptions { ");
        builder.Append("AccountSid = ").Append(AccountSid ?? "(not set)")
            .Append(", ApiKeySid = ").Append(ApiKeySid ?? "(not set)")
            .Append(", ApiKeySecret = ").Append(Mask(ApiKeySecret))
            .Append(", AuthToken = ").Append(Mask(AuthToken))
            .Append(", Region = ").Append(Region ?? "(default)")
            .Append(", Edge = ").Append(Edge ?? "(default)")
            .Append(", ApiBaseUrl = ").Append(ApiBaseUrl is null ? "(default)" : Transport.Internal.TwilioEndpoints.Redact(ApiBaseUrl))
            .Append(", ConversationsBaseUrl = ").Append(ConversationsBaseUrl is null ? "(default)" : Transport.Internal.TwilioEndpoints.Redact(ConversationsBaseUrl))
            .Append(", AttemptTimeout = ").Append(AttemptTimeout)
            .Append(", TotalTimeout = ").Append(TotalTimeout)
            .Append(", Retry = ").Append(Retry)
            .Append(", CircuitBreaker = ").Append(CircuitBreaker)
            .Append(", RateLimit = ").Append(RateLimit)
            .Append(" }");
        return builder.ToString();
    }

    private static string Mask(string? secret) => string.IsNullOrEmpty(secret) ? "(not set)" : "***";
}

/// <summary>Represents how failed Twilio calls are retried.</summary>
/// <remarks>
/// HTTP 429 is always retried (Twilio did not process the request). HTTP 500, 502, 503 and 504, timeouts and transport
/// failures are retried only for requests that are safe to repeat: GET, DELETE, and POSTs marked
/// <see cref="TwilioRequest.IsSafeToRetry"/>. A connection that never opened is retried for every request.
/// </remarks>
public sealed class TwilioRetryOptions
{
    /// <summary>Gets or sets the number of attempts in all, the first included. 1 turns retries off.</summary>
    /// <value>The default value is 4.</value>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Gets or sets the first backoff delay; each later one doubles, with jitter.</summary>
    /// <value>The default value is 250 milliseconds.</value>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Gets or sets the longest backoff delay.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets a value indicating whether backoff delays are randomized so that clients do not retry in step.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseJitter { get; set; } = true;

    /// <summary>Gets or sets the longest wait honoured from a <c>Retry-After</c> header; longer values are capped to it.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{{ MaxAttempts = {MaxAttempts}, BaseDelay = {BaseDelay}, MaxDelay = {MaxDelay}, UseJitter = {UseJitter}, MaxRetryAfter = {MaxRetryAfter} }}";
}

/// <summary>Represents the circuit breaker that stops calling Twilio for a while when most calls fail.</summary>
/// <remarks>Server errors (5xx), timeouts and transport failures count as failures; 4xx answers, 429 included, do not.</remarks>
public sealed class TwilioCircuitBreakerOptions
{
    /// <summary>Gets or sets a value indicating whether the circuit breaker is on.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the share of failed attempts, within <see cref="SamplingDuration"/>, that opens the circuit.</summary>
    /// <value>The default value is 0.5.</value>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets the number of attempts within <see cref="SamplingDuration"/> below which the circuit never opens.</summary>
    /// <value>The default value is 20.</value>
    [Range(2, int.MaxValue)]
    public int MinimumThroughput { get; set; } = 20;

    /// <summary>Gets or sets the window over which failures are counted.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long the circuit stays open before one trial call is let through.</summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{{ Enabled = {Enabled}, FailureRatio = {FailureRatio}, MinimumThroughput = {MinimumThroughput}, SamplingDuration = {SamplingDuration}, BreakDuration = {BreakDuration} }}";
}

/// <summary>Represents the client-side token-bucket rate limit applied to every HTTP attempt of one account.</summary>
public sealed class TwilioRateLimitOptions
{
    /// <summary>Gets or sets a value indicating whether the rate limit is on.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Enabled { get; set; }

    /// <summary>Gets or sets the sustained number of requests per second.</summary>
    /// <value>The default value is 100.</value>
    [Range(1, 100_000)]
    public int PermitsPerSecond { get; set; } = 100;

    /// <summary>Gets or sets the number of requests that may go at once after a quiet spell. 0 means one replenishment's worth.</summary>
    /// <value>The default value is 0.</value>
    [Range(0, 100_000)]
    public int BurstSize { get; set; }

    /// <summary>Gets or sets the number of requests that may wait for a permit; more are rejected at once.</summary>
    /// <value>The default value is 10,000.</value>
    [Range(0, 1_000_000)]
    public int QueueLimit { get; set; } = 10_000;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{{ Enabled = {Enabled}, PermitsPerSecond = {PermitsPerSecond}, BurstSize = {BurstSize}, QueueLimit = {QueueLimit} }}";
}
