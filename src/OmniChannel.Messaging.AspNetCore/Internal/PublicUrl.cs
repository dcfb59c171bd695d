using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace OmniChannel.Messaging.AspNetCore.Internal;

/// <summary>Rebuilds the URL Twilio requested: configured base, else trusted forwarded headers, else the request itself.</summary>
internal static class PublicUrl
{
    public static string Build(HttpContext context, TwilioWebhookOptions options)
    {
        var request = context.Request;
        var target = Target(context);
        if (options.PublicBaseUrl is { } configured)
        {
            return configured.OriginalString.TrimEnd('/') + target;
        }

        string scheme = request.Scheme;
        string host = request.Host.Value ?? string.Empty;
        string prefix = string.Empty;
        if (options.TrustForwardedHeaders)
        {
            scheme = First(request.Headers["X-Forwarded-Proto"]) ?? scheme;
            host = First(request.Headers["X-Forwarded-Host"]) ?? host;
            prefix = First(request.Headers["X-Forwarded-Prefix"])?.TrimEnd('/') ?? string.Empty;
        }

        return string.Concat(scheme, "://", host, prefix, target);
    }

    // The path and query exactly as received (PathBase included, nothing decoded or re-encoded), when the server gives it.
    private static string Target(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (!string.IsNullOrEmpty(raw) && raw[0] == '/')
        {
            return raw;
        }

        var request = context.Request;
        return string.Concat(request.PathBase.ToUriComponent(), request.Path.ToUriComponent(), request.QueryString.ToUriComponent());
    }

    private static string? First(Microsoft.Extensions.Primitives.StringValues values)
    {
        var value = values.Count > 0 ? values[0] : null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        // A chain of proxies appends; the first value is the one the outermost proxy (the one Twilio called) set.
        var comma = value.IndexOf(',', StringComparison.Ordinal);
        return (comma < 0 ? value : value[..comma]).Trim();
    }
}
