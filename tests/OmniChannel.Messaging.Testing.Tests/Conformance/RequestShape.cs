namespace OmniChannel.Messaging.Testing.Tests.Conformance;

/// <summary>
/// Identifiers a request shape may need, valid on the target it is sent to: fixed placeholders for Prism, freshly
/// created resources for the emulator.
/// </summary>
internal sealed record ShapeContext(
    string AccountSid,
    string ChatServiceSid,
    string ConversationSid,
    string ConversationUniqueName,
    string MessageSid,
    string ContentSid,
    string FreshUniqueName);

/// <summary>
/// One request the SDK sends, built exactly as the SDK builds it (a <see cref="TwilioRequest"/>), and whether Twilio's
/// contract accepts it. Valid shapes must pass Prism (no 422) and the emulator (2xx); invalid ones must be refused by both.
/// </summary>
internal sealed record RequestShape(string Name, Func<ShapeContext, TwilioRequest> Build, bool IsValid = true)
{
    public override string ToString() => Name;
}
