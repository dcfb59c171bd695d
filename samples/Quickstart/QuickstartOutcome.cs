namespace OmniChannel.Messaging.Quickstart;

/// <summary>What the Quickstart observed at each step, so a test can run the sample and check the story held.</summary>
public sealed class QuickstartOutcome
{
    /// <summary>Gets or sets a value indicating whether the embedded emulator was used (no TWILIO_ACCOUNT_SID).</summary>
    public bool UsedEmulator { get; set; }

    /// <summary>Gets or sets the printed configuration (secrets masked).</summary>
    public string Configuration { get; set; } = "";

    /// <summary>Gets or sets a value indicating whether the first get-or-create created the conversation.</summary>
    public bool FirstCallCreated { get; set; }

    /// <summary>Gets or sets the HTTP calls the same instance made when asked again (the cache answers: none).</summary>
    public IReadOnlyList<string> SameInstanceAgainCalls { get; set; } = [];

    /// <summary>Gets or sets a value indicating whether another instance got the existing conversation (same SID, not created).</summary>
    public bool OtherInstanceFoundExisting { get; set; }

    /// <summary>Gets or sets the HTTP calls the other instance made (a 409 on create, then a fetch by unique name).</summary>
    public IReadOnlyList<string> OtherInstanceCalls { get; set; } = [];

    /// <summary>Gets or sets the SMS customer's address as stored (E.164).</summary>
    public string? SmsCustomerAddress { get; set; }

    /// <summary>Gets or sets a value indicating whether ensuring the SMS customer again found the existing participant.</summary>
    public bool EnsureAgainFoundExisting { get; set; }

    /// <summary>Gets or sets the HTTP calls of the second ensure (a 409 participant-exists, then the lookup).</summary>
    public IReadOnlyList<string> EnsureAgainCalls { get; set; } = [];

    /// <summary>Gets or sets the message bodies listed back from the conversation, in order.</summary>
    public IReadOnlyList<string> ListedMessages { get; set; } = [];

    /// <summary>Gets or sets the outcome of the SMS sent before STOP.</summary>
    public string? SmsBeforeStop { get; set; }

    /// <summary>Gets or sets the outcome of the SMS sent after the STOP went through the webhook pipeline.</summary>
    public string? SmsAfterStop { get; set; }

    /// <summary>Gets or sets the HTTP calls of the send after STOP (none: suppressed before Twilio).</summary>
    public int SmsAfterStopCalls { get; set; } = -1;

    /// <summary>Gets or sets a value indicating whether the WhatsApp reply inside the window went free-form.</summary>
    public bool WhatsAppInsideWindowFreeForm { get; set; }

    /// <summary>Gets or sets the outcome of the free-form send after the window closed, with no fallback.</summary>
    public string? WhatsAppOutsideNoFallback { get; set; }

    /// <summary>Gets or sets a value indicating whether the send with a fallback went out as the template.</summary>
    public bool WhatsAppOutsideUsedTemplate { get; set; }

    /// <summary>Gets or sets a value indicating whether every step ran.</summary>
    public bool Succeeded { get; set; }
}
