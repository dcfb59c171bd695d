namespace OmniChannel.Messaging.Transport.Internal;

/// <summary>Base URLs per product, region and edge, and the rule that keeps next-page links on the configured host.</summary>
internal static class TwilioEndpoints
{
    public static Uri BaseUrl(OmniChannelMessagingOptions options, TwilioProduct product)
    {
        var overridden = product switch
        {
            TwilioProduct.Api => options.ApiBaseUrl,
            TwilioProduct.Conversations => options.ConversationsBaseUrl,
            _ => throw new ArgumentOutOfRangeException(nameof(product), product, "Unknown Twilio product."),
        };
        if (overridden is not null)
        {
            return overridden;
        }

        var host = product == TwilioProduct.Api ? "api" : "conversations";

        // Twilio's host scheme is {product}[.{edge}][.{region}].twilio.com; an edge without a region implies us1.
        var region = options.Region;
        if (!string.IsNullOrEmpty(options.Edge) && string.IsNullOrEmpty(region))
        {
            region = "us1";
        }

        var parts = new[] { host, options.Edge, region }.Where(p => !string.IsNullOrEmpty(p));
        return new Uri($"https://{string.Join('.', parts)}.twilio.com/");
    }

    /// <summary>
    /// Resolves a next-page link against the configured base URL. A relative link (2010 API) is appended to the base; an
    /// absolute one (Conversations) keeps its path and query but is sent to the configured base URL, path prefix included
    /// (<c>http://proxy/twilio/</c> + <c>/v1/Conversations?Page=1</c>), unless it already names the configured host and
    /// lies under that prefix.
    /// </summary>
    public static Uri ResolveNextPage(Uri baseUrl, string link)
    {
        var prefix = baseUrl.AbsolutePath.TrimEnd('/');
        if (Uri.TryCreate(link, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttps || absolute.Scheme == Uri.UriSchemeHttp))
        {
            if (string.Equals(absolute.Authority, baseUrl.Authority, StringComparison.OrdinalIgnoreCase)
                && absolute.Scheme == baseUrl.Scheme
                && (prefix.Length == 0 || absolute.AbsolutePath.StartsWith(prefix + "/", StringComparison.Ordinal)))
            {
                return absolute;
            }

            return new Uri(baseUrl.GetLeftPart(UriPartial.Authority) + prefix + absolute.PathAndQuery, UriKind.Absolute);
        }

        var relative = link.StartsWith('/') ? link : "/" + link;
        return new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + relative, UriKind.Absolute);
    }

    /// <summary>Formats a URL for messages and <c>ToString</c> with any user name and password replaced by <c>***</c>.</summary>
    public static string Redact(Uri url)
    {
        if (!url.IsAbsoluteUri || string.IsNullOrEmpty(url.UserInfo))
        {
            return url.ToString();
        }

        var builder = new UriBuilder(url) { UserName = "***", Password = string.Empty };
        return builder.Uri.ToString();
    }
}
