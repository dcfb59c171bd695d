using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace OmniChannel.Messaging.AspNetCore.Internal;

/// <summary>The request's validated webhook: set once the signature passed, so later steps and model binding reuse it.</summary>
internal sealed class ValidatedWebhookFeature(WebhookFields fields, WebhookBodyKind kind)
{
    public WebhookFields Fields { get; } = fields;

    public WebhookBodyKind Kind { get; } = kind;
}

/// <summary>
/// Checks one webhook request: content type (415), size (413), body shape (400), signature (403). On success the body
/// is put back as a rewindable stream (and the form as the request's form) for model binding.
/// </summary>
internal sealed class WebhookGate(
    IOptions<TwilioWebhookOptions> options,
    SignatureKeyRing keys,
    WebhookMetrics metrics,
    ILogger<WebhookGate> logger)
{
    private readonly TwilioWebhookOptions settings = options.Value;

    /// <summary>
    /// Returns 0 when the request may go on, else the status code to answer (the body stays empty). With
    /// <paramref name="forBinding"/> the body is put back and the form set for the endpoint's model binding; the
    /// mapped endpoints read the parsed parameters instead and skip that work.
    /// </summary>
    public async ValueTask<int> CheckAsync(HttpContext context, bool forBinding = true)
    {
        if (context.Features.Get<ValidatedWebhookFeature>() is not null)
        {
            return 0;
        }

        var request = context.Request;
        var path = request.Path.Value ?? string.Empty;
        if (!HttpMethods.IsPost(request.Method))
        {
            return Reject(StatusCodes.Status405MethodNotAllowed, "method not POST", path);
        }

        if (WebhookBody.KindOf(request.ContentType) is not { } kind)
        {
            return Reject(StatusCodes.Status415UnsupportedMediaType, "content type not form or JSON", path);
        }

        byte[]? body;
        try
        {
            body = await WebhookBody.ReadAsync(request, settings.MaxBodySize, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or Microsoft.AspNetCore.Http.BadHttpRequestException)
        {
            return Reject(StatusCodes.Status400BadRequest, "body could not be read", path);
        }

        if (body is null)
        {
            return Reject(StatusCodes.Status413PayloadTooLarge, "body over the limit", path);
        }

        List<KeyValuePair<string, string>> pairs;
        try
        {
            pairs = kind == WebhookBodyKind.Form ? WebhookBody.ParseForm(body) : WebhookBody.ParseJson(body);
        }
        catch (JsonException)
        {
            // The signature is checked before answering 400, so an unsigned caller learns nothing from the difference.
            pairs = [];
            if (!IsSigned(context, kind, body, pairs, null, path))
            {
                return StatusCodes.Status403Forbidden;
            }

            return Reject(StatusCodes.Status400BadRequest, "body is not a JSON object", path);
        }

        var fields = new WebhookFields(pairs);
        if (!IsSigned(context, kind, body, pairs, fields["AccountSid"], path))
        {
            return StatusCodes.Status403Forbidden;
        }

        context.Features.Set(new ValidatedWebhookFeature(fields, kind));
        if (!forBinding)
        {
            return 0;
        }

        request.Body = new MemoryStream(body, writable: false);
        if (kind == WebhookBodyKind.Form)
        {
            var form = new Dictionary<string, StringValues>(StringComparer.Ordinal);
            foreach (var pair in pairs)
            {
                form[pair.Key] = form.TryGetValue(pair.Key, out var existing) ? StringValues.Concat(existing, pair.Value) : new StringValues(pair.Value);
            }

            context.Features.Set<IFormFeature>(new FormFeature(new FormCollection(form)));
        }

        return 0;
    }

    private bool IsSigned(HttpContext context, WebhookBodyKind kind, byte[] body, List<KeyValuePair<string, string>> pairs, string? accountSid, string path)
    {
        if (keys.AllowUnsigned)
        {
            return true;
        }

        var signature = context.Request.Headers["X-Twilio-Signature"].ToString();
        var validator = keys.For(accountSid);
        if (validator is null)
        {
            Reject(StatusCodes.Status403Forbidden, "no auth token configured", path);
            return false;
        }

        var url = PublicUrl.Build(context, settings);
        var result = kind == WebhookBodyKind.Form
            ? validator.Validate(url, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pairs), signature)
            : validator.ValidateWithBody(url, body, signature);
        if (!result.IsValid)
        {
            metrics.Rejected(StatusCodes.Status403Forbidden);
            WebhookLog.SignatureRejected(logger, path, result.Failure, url);
            return false;
        }

        if (result.MatchedTokenIndex > 0)
        {
            WebhookLog.SecondaryTokenMatched(logger, path, result.MatchedTokenIndex);
        }

        return true;
    }

    private int Reject(int status, string reason, string path)
    {
        metrics.Rejected(status);
        WebhookLog.RequestRejected(logger, path, status, reason);
        return status;
    }
}
