using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.AspNetCore.Internal;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Provides the webhook endpoints, the <c>.ValidateTwilioSignature()</c> convention and the validation middleware.</summary>
public static class TwilioWebhookEndpointExtensions
{
    /// <summary>
    /// Maps the webhook endpoints under a prefix: <c>POST {prefix}/messages</c> (inbound messages),
    /// <c>{prefix}/status</c> (status callbacks) and <c>{prefix}/conversations</c> (Conversations post-events), route
    /// names as configured. Each validates the signature, dedupes, queues the webhook for the worker and answers at once.
    /// </summary>
    /// <param name="endpoints">The route builder, usually the <c>WebApplication</c>.</param>
    /// <param name="prefix">The path prefix, for example <c>/twilio</c>.</param>
    /// <returns>The route group, to add authorization, rate limiting or metadata.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="prefix"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException"><c>AddWebhooks</c> was not called.</exception>
    public static RouteGroupBuilder MapOmniChannelWebhooks(this IEndpointRouteBuilder endpoints, string prefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var handlers = endpoints.ServiceProvider.GetService<WebhookEndpoints>()
            ?? throw new InvalidOperationException("Call AddOmniChannelMessaging(...).AddWebhooks() before MapOmniChannelWebhooks.");
        var options = endpoints.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<OmniChannel.Messaging.AspNetCore.TwilioWebhookOptions>>().Value;
        var group = endpoints.MapGroup(prefix);
        group.MapPost(options.InboundMessageRoute, handlers.InboundAsync).WithName("OmniChannel.InboundMessage");
        group.MapPost(options.StatusCallbackRoute, handlers.StatusAsync).WithName("OmniChannel.StatusCallback");
        group.MapPost(options.ConversationEventRoute, handlers.ConversationAsync).WithName("OmniChannel.ConversationEvent");
        return group;
    }

    /// <summary>
    /// Requires a valid Twilio signature on the endpoints: the check runs before model binding, answers 403 (413, 415,
    /// 400) on failure, and leaves the body readable and the form bound for the endpoint.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint convention builder type.</typeparam>
    /// <param name="builder">The endpoint, group or route handler builder.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static TBuilder ValidateTwilioSignature<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Finally(endpoint =>
        {
            var next = endpoint.RequestDelegate;
            if (next is null)
            {
                return;
            }

            endpoint.RequestDelegate = async context =>
            {
                var gate = context.RequestServices.GetRequiredService<WebhookGate>();
                var status = await gate.CheckAsync(context).ConfigureAwait(false);
                if (status != 0)
                {
                    context.Response.StatusCode = status;
                    return;
                }

                await next(context).ConfigureAwait(false);
            };
        });
        return builder;
    }

    /// <summary>
    /// Adds middleware that requires a valid Twilio signature on every request under a path prefix, for apps that handle
    /// webhooks without endpoint routing. Failures are answered 403 (413, 415, 400) without calling the rest of the pipeline.
    /// </summary>
    /// <param name="app">The application builder.</param>
    /// <param name="pathPrefix">The path prefix, for example <c>/twilio</c>.</param>
    /// <returns>The application builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="app"/> is <see langword="null"/>.</exception>
    public static IApplicationBuilder UseTwilioSignatureValidation(this IApplicationBuilder app, PathString pathPrefix)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseWhen(
            context => context.Request.Path.StartsWithSegments(pathPrefix),
            branch => branch.Use(next => async context =>
            {
                var gate = context.RequestServices.GetRequiredService<WebhookGate>();
                var status = await gate.CheckAsync(context).ConfigureAwait(false);
                if (status != 0)
                {
                    context.Response.StatusCode = status;
                    return;
                }

                await next(context).ConfigureAwait(false);
            }));
    }
}
