using OmniChannel.Messaging.Quickstart;

namespace OmniChannel.Messaging.AspNetCore.Tests.Samples;

/// <summary>Runs the README's main job, the Quickstart, on the embedded emulator, so a broken story turns CI red.</summary>
public sealed class QuickstartTests
{
    [Fact]
    public async Task RunAsync_OnTheEmulator_TellsTheWholeSupportCaseStory()
    {
        using var output = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var outcome = await QuickstartApp.RunAsync([], output, useTwilio: false, timeout.Token);

        var printed = output.ToString();
        Assert.True(outcome.Succeeded, printed);
        Assert.True(outcome.UsedEmulator);
        Assert.Contains("No TWILIO_ACCOUNT_SID set: using the embedded TwilioEmulator", printed, StringComparison.Ordinal);

        // The configuration is printed with the auth token masked.
        Assert.Contains("AuthToken = ***", outcome.Configuration, StringComparison.Ordinal);
        Assert.Contains(outcome.Configuration, printed, StringComparison.Ordinal);

        // Created once; the same instance answers from its cache; another instance turns the 409 into a fetch.
        Assert.True(outcome.FirstCallCreated);
        Assert.Empty(outcome.SameInstanceAgainCalls);
        Assert.True(outcome.OtherInstanceFoundExisting);
        Assert.Equal(["POST /v1/Conversations -> 409", "GET /v1/Conversations/t_acme_case_10492 -> 200"], outcome.OtherInstanceCalls);

        // "(415) 555-0100" is stored as E.164; ensuring it again from the other instance meets a 409 and finds it.
        Assert.Equal("+14155550100", outcome.SmsCustomerAddress);
        Assert.True(outcome.EnsureAgainFoundExisting);
        Assert.StartsWith("POST ", outcome.EnsureAgainCalls[0], StringComparison.Ordinal);
        Assert.EndsWith("/Participants -> 409", outcome.EnsureAgainCalls[0], StringComparison.Ordinal);
        Assert.Equal(["Hi! Thanks for contacting Acme support. How can we help?", "My order 10492 has not arrived."], outcome.ListedMessages);

        // STOP through the webhook pipeline suppresses the next SMS without a call to Twilio.
        Assert.Equal(nameof(MessageSendOutcome.Accepted), outcome.SmsBeforeStop);
        Assert.Equal(nameof(MessageSendOutcome.Suppressed), outcome.SmsAfterStop);
        Assert.Equal(0, outcome.SmsAfterStopCalls);

        // WhatsApp: free-form inside the window; once it closes, template required or the fallback template.
        Assert.True(outcome.WhatsAppInsideWindowFreeForm);
        Assert.Equal(nameof(MessageSendOutcome.TemplateRequired), outcome.WhatsAppOutsideNoFallback);
        Assert.True(outcome.WhatsAppOutsideUsedTemplate);
    }
}
