namespace OmniChannel.Messaging.Testing.Tests.Conformance;

/// <summary>
/// One call of a public facade method (or extension) with one variant of its arguments, run against the emulator through
/// the real, DI-registered client; every HTTP request it makes is recorded and replayed to Prism.
/// </summary>
/// <param name="Method">The method covered, as <c>Type.Method</c>, with parameter types for overloads (see the coverage test).</param>
/// <param name="Variant">What this call varies, for example <c>every-option</c>.</param>
/// <param name="Run">The call; it throws (or fails an assertion) when the facade did not succeed.</param>
internal sealed record FacadeScenario(string Method, string Variant, Func<ScenarioContext, Task> Run)
{
    /// <summary>Gets where the Conversations client sends (default service, named service, webhooks enabled).</summary>
    public ConversationsScope Scope { get; init; }

    /// <summary>Gets a value indicating whether the emulator answers 63016/63018 at once (HTTP 400) instead of failing the message later.</summary>
    public bool SynchronousChannelErrors { get; init; }

    /// <summary>Gets a value indicating whether the method makes no HTTP request at all (it works on local state).</summary>
    public bool SendsNoRequest { get; init; }

    /// <summary>Gets Twilio error codes the call meets on its way and handles (besides 409s, which the ensure paths resolve).</summary>
    public IReadOnlyList<int> ToleratedErrorCodes { get; init; } = [];

    public string Name => Scope == ConversationsScope.Default ? $"{Method}/{Variant}" : $"{Method}/{Variant}@{Scope.ToString().ToLowerInvariant()}";

    /// <summary>Gets the facade the method belongs to: Conversations, Sms or WhatsApp.</summary>
    public string Facade => Method.StartsWith("IConversationsClient.", StringComparison.Ordinal) || Method.StartsWith("ConversationsClientExtensions.", StringComparison.Ordinal) ? "Conversations"
        : Method.StartsWith("ISmsClient.", StringComparison.Ordinal) || Method.StartsWith("SmsClientExtensions.", StringComparison.Ordinal) ? "Sms"
        : "WhatsApp";

    public override string ToString() => Name;
}
