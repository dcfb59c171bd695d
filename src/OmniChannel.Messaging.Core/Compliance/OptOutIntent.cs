namespace OmniChannel.Messaging;

/// <summary>Identifies what an inbound keyword message asks for.</summary>
public enum OptOutIntent
{
    /// <summary>The message is not a keyword.</summary>
    None = 0,

    /// <summary>The sender asks to stop receiving messages (STOP, UNSUBSCRIBE, …).</summary>
    OptOut = 1,

    /// <summary>The sender asks to receive messages again (START, YES, UNSTOP).</summary>
    OptIn = 2,

    /// <summary>The sender asks for help (HELP, INFO).</summary>
    Help = 3,
}
