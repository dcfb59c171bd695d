using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniChannel.Messaging.Transport.Internal;
using Polly;

namespace OmniChannel.Messaging;

/// <summary>
/// Provides the REST transport of one Twilio account: authentication, form encoding, JSON responses, error mapping,
/// paging, retries, timeouts, the circuit breaker and the client-side rate limit.
/// </summary>
/// <remarks>
/// The channel clients (<c>IConversationsClient</c>, <c>ISmsClient</c>, <c>IWhatsAppClient</c>) are built on it; use it
/// directly to call a Twilio endpoint they do not cover. Resolve it from DI (the default account), through
/// <see cref="ITwilioClientFactory"/>, or as a keyed service under the account's name. It is thread-safe.
/// </remarks>
public sealed class TwilioApiClient : IDisposable
{
    private const int MaxErrorBodyBytes = 64 * 1024;
    private static readonly string UserAgent = BuildUserAgent();

    private readonly IHttpClientFactory httpClientFactory;
    private readonly string httpClientName;
    private readonly IOptionsMonitor<OmniChannelMessagingOptions> optionsMonitor;
    private readonly TimeProvider timeProvider;
    private readonly TwilioTelemetry telemetry;
    private readonly ILogger logger;
    private readonly ResiliencePipeline<HttpResponseMessage> pipeline;
    private readonly RateLimiter? rateLimiter;

    internal TwilioApiClient(
        string name,
        IHttpClientFactory httpClientFactory,
        IOptionsMonitor<OmniChannelMessagingOptions> optionsMonitor,
        TimeProvider timeProvider,
        TwilioTelemetry telemetry,
        ILogger logger)
    {
        Name = name;
        this.httpClientFactory = httpClientFactory;
        httpClientName = TwilioAccountRegistration.HttpClientNameFor(name);
        this.optionsMonitor = optionsMonitor;
        this.timeProvider = timeProvider;
        this.telemetry = telemetry;
        this.logger = logger;
        pipeline = TwilioResilience.Build(DisplayName, optionsMonitor.Get(name), timeProvider, telemetry, logger, out rateLimiter);
    }

    /// <summary>Gets the name the account was registered under; empty for the default account.</summary>
    public string Name { get; }

    /// <summary>Gets the account SID requests are made for (needed in 2010 API paths such as <c>/2010-04-01/Accounts/{AccountSid}/Messages.json</c>).</summary>
    public string AccountSid => Options.AccountSid ?? throw new InvalidOperationException($"No AccountSid is configured for the Twilio account '{DisplayName}'.");

    private OmniChannelMessagingOptions Options => optionsMonitor.Get(Name);

    private string DisplayName => Name.Length == 0 ? "default" : Name;

    /// <summary>Gets the base URL requests for a product go to, after overrides, region and edge are applied.</summary>
    /// <param name="product">The Twilio API host.</param>
    /// <returns>The absolute base URL, for example <c>https://conversations.twilio.com/</c>.</returns>
    public Uri GetBaseUrl(TwilioProduct product) => TwilioEndpoints.BaseUrl(Options, product);

    /// <summary>Sends a request and deserializes the JSON answer.</summary>
    /// <typeparam name="T">The response model.</typeparam>
    /// <param name="request">The request.</param>
    /// <param name="responseType">Source-generated JSON metadata for <typeparamref name="T"/>.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>The deserialized answer.</returns>
    /// <exception cref="TwilioApiException">Twilio answered with a status outside 2xx.</exception>
    /// <exception cref="HttpRequestException">The request could not be sent, or the connection failed before the answer was complete.</exception>
    /// <exception cref="JsonException">
    /// Twilio answered with a 2xx status, so the request took effect, but the body is empty or not the JSON
    /// <paramref name="responseType"/> describes; the message names the request's route template, the status and the
    /// request id, and the inner exception is the parser's. Do not resend a request that is not safe to repeat.
    /// </exception>
    /// <exception cref="Polly.Timeout.TimeoutRejectedException">The attempt or the whole call timed out.</exception>
    /// <exception cref="Polly.CircuitBreaker.BrokenCircuitException">The circuit to Twilio is open after repeated failures.</exception>
    /// <exception cref="Polly.RateLimiting.RateLimiterRejectedException">The client-side rate limiter's queue is full.</exception>
    public async Task<T> SendAsync<T>(TwilioRequest request, JsonTypeInfo<T> responseType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseType);
        using var response = await ExecuteAsync(request, BuildUri(request), cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, responseType, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a request whose answer carries nothing to read, such as a DELETE.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">The token to cancel the call with.</param>
    /// <returns>A task that completes when Twilio has answered with a 2xx status.</returns>
    /// <exception cref="TwilioApiException">Twilio answered with a status outside 2xx.</exception>
    /// <exception cref="HttpRequestException">The request could not be sent.</exception>
    /// <exception cref="Polly.Timeout.TimeoutRejectedException">The attempt or the whole call timed out.</exception>
    public async Task SendAsync(TwilioRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var response = await ExecuteAsync(request, BuildUri(request), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Lists the items of a paged Twilio resource, fetching pages lazily as the caller enumerates: Conversations pages are
    /// followed through <c>meta.next_page_url</c>, 2010 API pages through <c>next_page_uri</c>.
    /// </summary>
    /// <typeparam name="T">The item model.</typeparam>
    /// <param name="request">The first page's GET request; add <c>PageSize</c> with <see cref="TwilioRequest.AddQuery"/> to choose the page size.</param>
    /// <param name="itemsProperty">The JSON property holding the page's items, for example <c>conversations</c> or <c>messages</c>.</param>
    /// <param name="itemType">Source-generated JSON metadata for <typeparamref name="T"/>.</param>
    /// <param name="cancellationToken">The token to cancel the enumeration with.</param>
    /// <returns>The items of every page, in order.</returns>
    /// <exception cref="TwilioApiException">Twilio answered a page with a status outside 2xx.</exception>
    /// <exception cref="HttpRequestException">A page could not be requested, or the connection failed before it was complete.</exception>
    /// <exception cref="JsonException">A page came with a 2xx status but a body that is not a Twilio page of <typeparamref name="T"/>.</exception>
    /// <remarks>Next-page links are always sent to the configured base URL, never to another host, so credentials stay with Twilio.</remarks>
    public async IAsyncEnumerable<T> ListAsync<T>(
        TwilioRequest request,
        string itemsProperty,
        JsonTypeInfo<T> itemType,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(itemsProperty);
        ArgumentNullException.ThrowIfNull(itemType);
        if (request.Method != HttpMethod.Get)
        {
            throw new ArgumentException($"Paged lists are read with GET; the request is {request.Method}.", nameof(request));
        }

        Uri? next = BuildUri(request);
        while (next is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TwilioPage<T> page;
            using (var response = await ExecuteAsync(request, next, cancellationToken).ConfigureAwait(false))
            {
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    page = TwilioPage<T>.Parse(body, itemsProperty, itemType);
                }
                catch (JsonException exception)
                {
                    throw MalformedBody(response, request, $"a body that is not a Twilio page ({exception.Message})", exception);
                }
            }

            foreach (var item in page.Items)
            {
                yield return item;
            }

            next = page.NextLink is null ? null : TwilioEndpoints.ResolveNextPage(GetBaseUrl(request.Product), page.NextLink);
        }
    }

    /// <summary>Releases the client-side rate limiter.</summary>
    public void Dispose() => rateLimiter?.Dispose();

    private Uri BuildUri(TwilioRequest request)
    {
        var baseUrl = GetBaseUrl(request.Product).AbsoluteUri.TrimEnd('/');
        var builder = new StringBuilder(baseUrl.Length + request.Path.Length + 64).Append(baseUrl).Append(request.Path);
        var separator = '?';
        foreach (var (key, value) in request.Query)
        {
            builder.Append(separator).Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return new Uri(builder.ToString(), UriKind.Absolute);
    }

    private async Task<HttpResponseMessage> ExecuteAsync(TwilioRequest request, Uri uri, CancellationToken cancellationToken)
    {
        var method = request.Method.Method;
        var route = request.DisplayRoute;
        using var activity = TwilioTelemetry.ActivitySource.StartActivity($"Twilio {method} {route}", ActivityKind.Client);
        activity?.SetTag("http.request.method", method);
        activity?.SetTag("url.template", route);
        activity?.SetTag("server.address", uri.Host);
        activity?.SetTag("twilio.account", DisplayName);

        var call = new TwilioCall(request, uri, cancellationToken);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(TwilioResilience.CallKey, call);
        try
        {
            var response = await pipeline.ExecuteAsync(static (ctx, self) => self.SendAttemptAsync(ctx), context, this).ConfigureAwait(false);
            activity?.SetTag("http.response.status_code", (int)response.StatusCode);
            activity?.SetTag("twilio.attempts", call.Attempt);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                var exception = await CreateExceptionAsync(response, cancellationToken).ConfigureAwait(false);
                TwilioLog.CallFailed(logger, method, route, (int)exception.Status, exception.ErrorCode, DisplayName, call.Attempt, exception.RequestId);
                activity?.SetTag("twilio.error_code", exception.ErrorCode);
                activity?.SetTag("twilio.request_id", exception.RequestId);
                throw exception;
            }
        }
        catch (Exception exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            activity?.SetTag("error.type", exception is TwilioApiException api ? ((int)api.Status).ToString(CultureInfo.InvariantCulture) : exception.GetType().FullName);
            activity?.SetTag("twilio.attempts", call.Attempt);
            if (exception is not TwilioApiException && !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                // API errors were logged above with their status and code; everything else ends here: a timeout, an open
                // circuit, a full rate-limiter queue, or a transport failure that was not (or no longer) retried.
                if (exception is Polly.CircuitBreaker.BrokenCircuitException)
                {
                    telemetry.CircuitBreakerRejections.Add(1, new TagList
                    {
                        { "http.request.method", method },
                        { "url.template", route },
                        { "twilio.account", DisplayName },
                    });
                }

                TwilioLog.CallFailedWithoutResponse(logger, method, route, call.Attempt, DisplayName, TwilioFailure.Describe(exception));
            }

            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<HttpResponseMessage> SendAttemptAsync(ResilienceContext context)
    {
        var call = context.Properties.GetValue(TwilioResilience.CallKey, null!);
        var attempt = ++call.Attempt;
        var request = call.Request;
        var method = request.Method.Method;
        var route = request.DisplayRoute;
        using var message = CreateMessage(call);
        var started = timeProvider.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            var http = httpClientFactory.CreateClient(httpClientName);
            response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Every attempt is counted, whatever ended it. Polly's timeouts replace the context's token with their own, so
            // a cancellation is the caller's only when the caller's token says so; otherwise a timeout ended the attempt.
            var elapsed = timeProvider.GetElapsedTime(started);
            var (outcome, errorType) = exception switch
            {
                OperationCanceledException when call.CallerToken.IsCancellationRequested => (TwilioOutcome.Cancelled, exception.GetType().FullName),
                OperationCanceledException when context.CancellationToken.IsCancellationRequested => (TwilioOutcome.Timeout, TwilioOutcome.Timeout),
                _ => (TwilioOutcome.TransportFailure, exception.GetType().FullName),
            };
            var tags = new TagList
            {
                { "http.request.method", method },
                { "url.template", route },
                { "twilio.outcome", outcome },
                { "error.type", errorType },
                { "twilio.account", DisplayName },
            };
            telemetry.Requests.Add(1, tags);
            telemetry.Duration.Record(elapsed.TotalSeconds, tags);
            if (outcome == TwilioOutcome.Cancelled)
            {
                TwilioLog.AttemptCancelled(logger, method, route, attempt, (long)elapsed.TotalMilliseconds, DisplayName);
            }
            else
            {
                TwilioLog.AttemptFailedWithoutResponse(logger, method, route, attempt, (long)elapsed.TotalMilliseconds, DisplayName, outcome == TwilioOutcome.Timeout ? "attempt timed out" : TwilioFailure.Describe(exception));
            }

            throw;
        }

        var duration = timeProvider.GetElapsedTime(started);
        var status = (int)response.StatusCode;
        var answered = new TagList
        {
            { "http.request.method", method },
            { "url.template", route },
            { "http.response.status_code", status },
            { "twilio.outcome", response.IsSuccessStatusCode ? TwilioOutcome.Success : TwilioOutcome.ApiError },
            { "twilio.account", DisplayName },
        };
        if (!response.IsSuccessStatusCode)
        {
            answered.Add("error.type", status.ToString(CultureInfo.InvariantCulture));
        }

        telemetry.Requests.Add(1, answered);
        telemetry.Duration.Record(duration.TotalSeconds, answered);
        if (status == 429)
        {
            telemetry.Throttled.Add(1, answered);
        }

        TwilioLog.AttemptCompleted(logger, method, route, status, (long)duration.TotalMilliseconds, DisplayName, attempt, RequestId(response));
        return response;
    }

    private HttpRequestMessage CreateMessage(TwilioCall call)
    {
        var request = call.Request;
        var message = new HttpRequestMessage(request.Method, call.Uri);
        message.Headers.Authorization = new AuthenticationHeaderValue("Basic", TwilioCredentials.BasicParameter(Options, DisplayName));
        message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (request.Form.Count > 0 || request.Method == HttpMethod.Post)
        {
            message.Content = new FormUrlEncodedContent(request.Form);
        }

        return message;
    }

    private async Task<TwilioApiException> CreateExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            body = [];
        }

        var error = TwilioErrorBody.Parse(body.Length > MaxErrorBodyBytes ? body.AsSpan(0, MaxErrorBodyBytes) : body);
        return new TwilioApiException(
            response.StatusCode,
            error.Code,
            error.Message ?? response.ReasonPhrase,
            error.MoreInfo,
            RequestId(response),
            TwilioResilience.RetryAfter(response, timeProvider));
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> responseType, TwilioRequest request, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            T? value;
            try
            {
                value = await JsonSerializer.DeserializeAsync(stream, responseType, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException exception)
            {
                throw MalformedBody(response, request, $"a body that is not the expected JSON ({exception.Message})", exception);
            }

            return value ?? throw MalformedBody(response, request, "a JSON null body", null);
        }
    }

    private static JsonException MalformedBody(HttpResponseMessage response, TwilioRequest request, string what, JsonException? inner) =>
        new(
            $"Twilio answered {request.Method.Method} {request.DisplayRoute} with HTTP {(int)response.StatusCode} (the request took effect) and {what}; request {RequestId(response) ?? "id not given"}.",
            inner?.Path,
            inner?.LineNumber,
            inner?.BytePositionInLine,
            inner);

    private static string? RequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Twilio-Request-Id", out var values) || response.Headers.TryGetValues("X-Twilio-Request-Id", out values)
            ? values.FirstOrDefault()
            : null;

    private static string BuildUserAgent()
    {
        var assembly = typeof(TwilioApiClient).Assembly;
        var version = assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        if (plus > 0)
        {
            version = version[..plus];
        }

        return $"OmniChannel.Messaging/{version} (.NET {Environment.Version}; {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture})";
    }
}
