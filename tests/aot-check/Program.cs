// Runs a little of each package compiled ahead of time (trimmed): DI registration and option validation, the embedded numbering plan,
// the keyword classifier, the signature validator on a reference vector and the source-generated JSON of the Twilio
// error body. Prints "aot check: ok" or fails with the step that broke.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniChannel.Messaging;
using OmniChannel.Messaging.Conversations;
using OmniChannel.Messaging.Sms;
using OmniChannel.Messaging.WhatsApp;

// A stand-in for Twilio on 127.0.0.1: one success and one error answer, so the trimmed client parses both through its
// source-generated JSON.
var fake = WebApplication.CreateSlimBuilder();
fake.WebHost.UseUrls("http://127.0.0.1:0");
fake.Logging.ClearProviders();
await using var twilio = fake.Build();
twilio.Run(async context =>
{
    var form = await context.Request.ReadFormAsync();
    context.Response.ContentType = "application/json";
    if (form["To"] == "+14155550199")
    {
        context.Response.StatusCode = 400;
        await context.Response.WriteAsync("""{"code":21211,"message":"The 'To' number +14155550199 is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":400}""");
        return;
    }

    context.Response.StatusCode = 201;
    await context.Response.WriteAsync($$"""{"sid":"SM{{new string('1', 32)}}","status":"queued","to":"{{form["To"]}}","from":"{{form["From"]}}","body":"{{form["Body"]}}","num_segments":"1","price":null,"error_code":null,"error_message":null}""");
});
await twilio.StartAsync();
var baseUrl = new Uri(twilio.Urls.First() + "/");

var services = new ServiceCollection();
services.AddOmniChannelMessaging(o =>
    {
        o.AccountSid = "AC" + new string('0', 32);
        o.AuthToken = "aot-check-token";
        o.UseEnvironmentVariables = false;
        o.ApiBaseUrl = baseUrl;
        o.ConversationsBaseUrl = baseUrl;
    })
    .AddConversations()
    .AddSms(o => o.From = "+14155550100")
    .AddWhatsApp(o => o.From = "whatsapp:+14155238886");
await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
Check(provider.GetRequiredService<IConversationsClient>() is not null, "IConversationsClient resolves");
Check(provider.GetRequiredService<IWhatsAppClient>() is not null, "IWhatsAppClient resolves");
var sms = provider.GetRequiredService<ISmsClient>();
var sent = await sms.SendAsync("+1 415 555 0101", "trim check");
Check(sent.Outcome == MessageSendOutcome.Accepted && sent.MessageSid == "SM" + new string('1', 32), "SMS send parses Twilio's message JSON: " + sent);
var refused = await sms.SendAsync("+14155550199", "trim check");
Check(refused.ErrorCode == 21211, "SMS send parses Twilio's error JSON: " + refused);

Check(PhoneNumber.Parse("(415) 555-0100", "US").ToString() == "+14155550100", "numbering plan: US national format");
Check(PhoneNumber.Parse("06 12 34 56 78", "FR").ToString() == "+33612345678", "numbering plan: FR trunk prefix");
Check(OptOutClassifier.Default.Classify("Stop!").Intent == OptOutIntent.OptOut, "opt-out keyword");

var parameters = new Dictionary<string, string>
{
    ["CallSid"] = "CA1234567890ABCDE",
    ["Caller"] = "+14158675309",
    ["Digits"] = "1234",
    ["From"] = "+14158675309",
    ["To"] = "+18005551212",
};
var validator = new TwilioSignatureValidator("12345");
Check(
    validator.Validate("https://mycompany.com/myapp.php?foo=1&bar=2", parameters, "RSOYDt4T1cUTdK1PDd93/VVr8B8=").IsValid,
    "signature reference vector");

await twilio.StopAsync();
Console.WriteLine("aot check: ok");

static void Check(bool condition, string step)
{
    if (!condition)
    {
        throw new InvalidOperationException("aot check failed: " + step);
    }
}
