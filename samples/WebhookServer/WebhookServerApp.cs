using OmniChannel.Messaging.AspNetCore;
using OmniChannel.Messaging.Testing;

namespace OmniChannel.Messaging.WebhookServer;

/// <summary>Builds the sample's app, so tests can host several instances of it in one process.</summary>
public static class WebhookServerApp
{
    /// <summary>
    /// Builds the app: Twilio from the environment, or <paramref name="emulator"/> when given; the webhook pipeline on
    /// /twilio with the <c>Webhooks</c> configuration section; PostgreSQL stores (and the webhook outbox) when the
    /// <c>OmniChannel</c> connection string is set; a health check on /healthz.
    /// </summary>
    /// <param name="args">Command-line arguments (any configuration key, for example <c>--urls</c>).</param>
    /// <param name="emulator">The emulator to use in place of Twilio, or <see langword="null"/> for real Twilio.</param>
    /// <param name="configureServices">More registrations (a test's handlers), or <see langword="null"/>.</param>
    /// <returns>The app, built and mapped, not started.</returns>
    public static WebApplication Build(string[] args, TwilioEmulator? emulator, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var messaging = emulator is null
            ? builder.Services.AddOmniChannelMessaging()
            : builder.Services.AddOmniChannelMessaging(emulator.ConfigureClient);

        messaging.AddWebhooks(options =>
        {
            builder.Configuration.GetSection("Webhooks").Bind(options);
            options.HelpReply ??= "Acme support: reply STOP to unsubscribe. Msg&data rates may apply.";
        });

        if (builder.Configuration.GetConnectionString("OmniChannel") is { Length: > 0 } connectionString)
        {
            messaging.UsePostgreSql(connectionString, options =>
            {
                options.SchemaName = builder.Configuration["PostgreSql:SchemaName"] ?? options.SchemaName;
                options.WebhookOutbox = builder.Configuration.GetValue("PostgreSql:WebhookOutbox", true);
            });
        }

        builder.Services.AddSingleton<LoggingHandler>();
        builder.Services.AddSingleton<IInboundMessageHandler>(sp => sp.GetRequiredService<LoggingHandler>());
        builder.Services.AddSingleton<IStatusCallbackHandler>(sp => sp.GetRequiredService<LoggingHandler>());
        builder.Services.AddSingleton<IConversationEventHandler>(sp => sp.GetRequiredService<LoggingHandler>());
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapOmniChannelWebhooks("/twilio");
        app.MapHealthChecks("/healthz");
        return app;
    }
}
