// Quickstart: registers OmniChannel.Messaging from configuration and the TWILIO_* environment variables, validates the
// options, and prints what was resolved with secrets masked.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OmniChannel.Messaging;

var builder = Host.CreateApplicationBuilder(args);
var hasTwilio = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TWILIO_ACCOUNT_SID"));
var messaging = builder.Services.AddOmniChannelMessaging(builder.Configuration.GetSection("OmniChannel"));
if (!hasTwilio)
{
    // No Twilio account in the environment: use demo credentials so the registration can be shown end to end.
    messaging.Configure(o =>
    {
        o.AccountSid ??= "AC00000000000000000000000000000000";
        o.AuthToken ??= "demo-auth-token-not-a-secret-0000";
    });
}

using var host = builder.Build();
await host.StartAsync(); // ValidateOnStart: a bad configuration stops here with a message naming the bad value.

var options = host.Services.GetRequiredService<IOptionsMonitor<OmniChannelMessagingOptions>>().CurrentValue;
var client = host.Services.GetRequiredService<TwilioApiClient>();
Console.WriteLine(hasTwilio ? "Using the Twilio account from the TWILIO_* environment variables." : "No TWILIO_* variables set: using demo credentials.");
Console.WriteLine(options);
Console.WriteLine($"Messaging API:     {client.GetBaseUrl(TwilioProduct.Api)}");
Console.WriteLine($"Conversations API: {client.GetBaseUrl(TwilioProduct.Conversations)}");
await host.StopAsync();
