using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace OmniChannel.Messaging.AspNetCore.Internal;

/// <summary>Reads a request's webhook parameters for the payloads' BindAsync: the validated ones, else the form.</summary>
internal static class WebhookBinding
{
    public static async ValueTask<WebhookFields?> ReadFieldsAsync(HttpContext context)
    {
        if (context.Features.Get<ValidatedWebhookFeature>() is { } validated)
        {
            return validated.Fields;
        }

        if (!context.Request.HasFormContentType)
        {
            return null;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var (key, values) in form)
        {
            foreach (var value in values)
            {
                pairs.Add(new(key, value ?? string.Empty));
            }
        }

        return new WebhookFields(pairs);
    }

    public static DateTimeOffset Now(HttpContext context) =>
        (context.RequestServices?.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
}
