using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniChannel.Messaging.Conversations;
using OmniChannel.Messaging.Testing;

namespace OmniChannel.Messaging.Quickstart;

/// <summary>The Quickstart as a method, so <c>Program</c> runs it and a test runs exactly the same story.</summary>
public static class QuickstartApp
{
    /// <summary>Runs the support-case story and prints it.</summary>
    /// <param name="args">Command-line arguments (any configuration key).</param>
    /// <param name="output">Where the story is printed.</param>
    /// <param name="useTwilio">
    /// <see langword="true"/> for the Twilio account in the TWILIO_* variables, <see langword="false"/> for the embedded
    /// emulator; <see langword="null"/> decides by whether TWILIO_ACCOUNT_SID is set.
    /// </param>
    /// <param name="cancellationToken">The token to stop the story with.</param>
    /// <returns>What each step observed.</returns>
    public static async Task<QuickstartOutcome> RunAsync(string[] args, TextWriter output, bool? useTwilio = null, CancellationToken cancellationToken = default)
    {
        var outcome = new QuickstartOutcome();
        var real = useTwilio ?? !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TWILIO_ACCOUNT_SID"));
        await using var emulator = real ? null : await TwilioEmulator.StartAsync(cancellationToken: cancellationToken);
        outcome.UsedEmulator = emulator is not null;

        // Two hosts stand for two instances of one app (two pods behind a load balancer): each has its own caches,
        // so the second one meets Twilio's 409s and turns them into "already exists".
        var wire = new WireLog();
        using var instanceA = BuildHost(args, emulator, wire);
        using var instanceB = BuildHost(args, emulator, wire);
        await instanceA.StartAsync(cancellationToken); // ValidateOnStart: a bad configuration stops here, naming the bad value.
        await instanceB.StartAsync(cancellationToken);
        var configuration = instanceA.Services.GetRequiredService<IConfiguration>();
        var smsNumber = configuration["Quickstart:SmsNumber"] ?? "+14155551234";
        var whatsAppNumber = configuration["Quickstart:WhatsAppNumber"] ?? "whatsapp:+14155238886";

        output.WriteLine(emulator is null
            ? "Using the Twilio account from the TWILIO_* environment variables."
            : $"No TWILIO_ACCOUNT_SID set: using the embedded TwilioEmulator at {emulator.BaseUrl}.");
        outcome.Configuration = instanceA.Services.GetRequiredService<IOptionsMonitor<OmniChannelMessagingOptions>>().Get(Options.DefaultName).ToString();
        output.WriteLine($"Configuration (secrets masked): {outcome.Configuration}");

        var conversations = instanceA.Services.GetRequiredService<IConversationsClient>();
        var otherInstance = instanceB.Services.GetRequiredService<IConversationsClient>();

        // 1. Get-or-create by a tenant-scoped unique name: created once, then found, never duplicated.
        var uniqueName = ConversationsClientExtensions.TenantUniqueName("acme", "case_10492");
        var mark = wire.Count;
        var created = await conversations.GetOrCreateAsync(
            uniqueName,
            new ConversationOptions { FriendlyName = "Support Case 10492", Attributes = JsonAttributes.Parse("""{"tenantId":"acme","case":10492}""") },
            cancellationToken);
        var conversationSid = created.Value.Sid;
        outcome.FirstCallCreated = created.Created;
        output.WriteLine($"1. Conversation {conversationSid} '{created.Value.UniqueName}': {(created.Created ? "created" : "already existed")} [{wire.Describe(mark)}]");

        mark = wire.Count;
        var again = await conversations.GetOrCreateAsync(uniqueName, cancellationToken: cancellationToken);
        outcome.SameInstanceAgainCalls = wire.Since(mark);
        output.WriteLine($"   Asked again on this instance: {(again.Created ? "created" : "existing")}, same SID: {again.Value.Sid == conversationSid} [{wire.Describe(mark)}: the cache answered]");

        mark = wire.Count;
        var fromOther = await otherInstance.GetOrCreateAsync(uniqueName, cancellationToken: cancellationToken);
        outcome.OtherInstanceCalls = wire.Since(mark);
        outcome.OtherInstanceFoundExisting = !fromOther.Created && fromOther.Value.Sid == conversationSid;
        output.WriteLine($"   Asked on another instance: {(fromOther.Created ? "created" : "existing")}, same SID: {fromOther.Value.Sid == conversationSid} [{wire.Describe(mark)}: Twilio's duplicate-unique-name 409 became a fetch]");

        // 2. Participants: an SMS customer typed as people type, a WhatsApp customer and a chat agent.
        mark = wire.Count;
        var sms = await conversations.EnsureParticipantAsync(conversationSid, ParticipantBinding.Sms("(415) 555-0100", proxy: smsNumber, defaultRegion: "US"), cancellationToken: cancellationToken);
        var whatsApp = await conversations.EnsureParticipantAsync(conversationSid, ParticipantBinding.WhatsApp("+44 7700 900123", whatsAppNumber), cancellationToken: cancellationToken);
        var agent = await conversations.EnsureParticipantAsync(conversationSid, ParticipantBinding.Chat("agent-7"), cancellationToken: cancellationToken);
        outcome.SmsCustomerAddress = sms.Value.Address;
        output.WriteLine($"2. SMS customer \"(415) 555-0100\" joined as {sms.Value.Address} via {sms.Value.ProxyAddress}, WhatsApp customer {whatsApp.Value.Address}, agent {agent.Value.Identity} [{wire.Describe(mark)}]");

        // 3. The other instance ensures the same SMS customer: Twilio's "participant already exists" 409 is a success.
        mark = wire.Count;
        var smsAgain = await otherInstance.EnsureParticipantAsync(conversationSid, ParticipantBinding.Sms("+1 415 555 0100", smsNumber), cancellationToken: cancellationToken);
        outcome.EnsureAgainCalls = wire.Since(mark);
        outcome.EnsureAgainFoundExisting = !smsAgain.Created && smsAgain.Value.Sid == sms.Value.Sid;
        output.WriteLine($"3. Ensured the SMS customer again from the other instance: {(smsAgain.Created ? "added" : "already there")} as {smsAgain.Value.Sid} [{wire.Describe(mark)}]");

        // 4. Send, then list the thread.
        await conversations.SendMessageAsync(conversationSid, "agent-7", "Hi! Thanks for contacting Acme support. How can we help?", cancellationToken);
        await conversations.SendMessageAsync(conversationSid, sms.Value.Address!, "My order 10492 has not arrived.", cancellationToken);
        output.WriteLine("4. Messages in the conversation:");
        var listed = new List<string>();
        await foreach (var message in conversations.ListMessagesAsync(conversationSid, cancellationToken: cancellationToken))
        {
            listed.Add(message.Body ?? "");
            output.WriteLine($"   #{message.Index} {message.Author}: {message.Body}");
        }

        outcome.ListedMessages = listed;
        await instanceB.StopAsync(cancellationToken);
        await instanceA.StopAsync(cancellationToken);

        if (real)
        {
            output.WriteLine("SMS/WhatsApp story: skipped against real Twilio (it moves the emulator's clock); run without TWILIO_ACCOUNT_SID to see it.");
        }
        else
        {
            await SmsAndWhatsAppStory.RunAsync(output, outcome, cancellationToken);
        }

        outcome.Succeeded = true;
        return outcome;
    }

    private static IHost BuildHost(string[] args, TwilioEmulator? emulator, WireLog wire)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // The SDK logs every Twilio error response at Warning, the 409s it turns into "already exists" included; the story
        // prints those calls inline instead.
        builder.Logging.AddFilter("OmniChannel.Messaging.Twilio", LogLevel.Error);
        var messaging = emulator is null
            ? builder.Services.AddOmniChannelMessaging(builder.Configuration.GetSection("OmniChannel"))
            : builder.Services.AddOmniChannelMessaging(emulator.ConfigureClient);
        messaging.ConfigureHttpClient(http => http.AddHttpMessageHandler(() => new WireLog.Handler(wire)));
        messaging.AddConversations(o => o.DefaultRegion = "US");
        return builder.Build();
    }
}
