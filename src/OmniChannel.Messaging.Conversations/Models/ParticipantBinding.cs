namespace OmniChannel.Messaging.Conversations;

/// <summary>
/// Represents who a participant should be: a chat identity, an SMS number, or a WhatsApp number, each SMS or WhatsApp
/// address paired with the Twilio address (proxy) that talks to it.
/// </summary>
/// <remarks>
/// Phone numbers may be written as people type them (<c>(415) 555-0100</c>); the client normalizes them to E.164 before
/// any call, using <see cref="DefaultRegion"/> (or the client's configured default) for numbers without a country code.
/// </remarks>
public sealed class ParticipantBinding
{
    private ParticipantBinding(ParticipantBindingKind kind, string? identity, string? address, string? proxyAddress, string? defaultRegion)
    {
        Kind = kind;
        Identity = identity;
        Address = address;
        ProxyAddress = proxyAddress;
        DefaultRegion = defaultRegion;
    }

    /// <summary>Gets the kind of binding.</summary>
    public ParticipantBindingKind Kind { get; }

    /// <summary>Gets the chat identity, for <see cref="ParticipantBindingKind.Chat"/>.</summary>
    public string? Identity { get; }

    /// <summary>Gets the participant's phone address as given, for SMS and WhatsApp.</summary>
    public string? Address { get; }

    /// <summary>Gets the Twilio address as given, for SMS and WhatsApp.</summary>
    public string? ProxyAddress { get; }

    /// <summary>Gets the region used for numbers written without a country code, for example <c>US</c>.</summary>
    public string? DefaultRegion { get; }

    /// <summary>Creates a chat participant binding.</summary>
    /// <param name="identity">The chat identity (at most 256 characters).</param>
    /// <returns>The binding.</returns>
    /// <exception cref="ArgumentException"><paramref name="identity"/> is null, empty or white space.</exception>
    public static ParticipantBinding Chat(string identity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(identity);
        return new ParticipantBinding(ParticipantBindingKind.Chat, identity, null, null, null);
    }

    /// <summary>Creates an SMS participant binding.</summary>
    /// <remarks>
    /// Conversations binds an SMS participant to a Twilio phone number (<c>MessagingBinding.ProxyAddress</c>); it takes no
    /// Messaging Service SID there. To deliver through a Messaging Service, set
    /// <see cref="ConversationOptions.MessagingServiceSid"/> on the conversation and pass a number from that service's sender
    /// pool as <paramref name="proxy"/>. The client rejects, before any call, an <c>MG…</c> proxy, a <c>whatsapp:</c>
    /// address on either side, and an address equal to its proxy (Twilio's 50409).
    /// </remarks>
    /// <param name="address">The participant's phone number, in any common format.</param>
    /// <param name="proxy">The Twilio phone number that sends to and receives from the participant.</param>
    /// <param name="defaultRegion">The region for numbers written without a country code, for example <c>US</c>.</param>
    /// <returns>The binding.</returns>
    /// <exception cref="ArgumentException"><paramref name="address"/> or <paramref name="proxy"/> is null, empty or white space.</exception>
    public static ParticipantBinding Sms(string address, string proxy, string? defaultRegion = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        ArgumentException.ThrowIfNullOrWhiteSpace(proxy);
        return new ParticipantBinding(ParticipantBindingKind.Sms, null, address, proxy, defaultRegion);
    }

    /// <summary>Creates a WhatsApp participant binding; <c>whatsapp:</c> prefixes are added where missing.</summary>
    /// <param name="address">The participant's WhatsApp number, with or without the <c>whatsapp:</c> prefix.</param>
    /// <param name="proxy">The Twilio WhatsApp sender, with or without the <c>whatsapp:</c> prefix.</param>
    /// <param name="defaultRegion">The region for numbers written without a country code.</param>
    /// <returns>The binding.</returns>
    /// <exception cref="ArgumentException"><paramref name="address"/> or <paramref name="proxy"/> is null, empty or white space.</exception>
    public static ParticipantBinding WhatsApp(string address, string proxy, string? defaultRegion = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        ArgumentException.ThrowIfNullOrWhiteSpace(proxy);
        return new ParticipantBinding(ParticipantBindingKind.WhatsApp, null, address, proxy, defaultRegion);
    }

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        ParticipantBindingKind.Chat => $"chat:{Identity}",
        _ => $"{Kind.ToString().ToLowerInvariant()}:{Address} via {ProxyAddress}",
    };
}

/// <summary>Identifies the channel of a <see cref="ParticipantBinding"/>.</summary>
public enum ParticipantBindingKind
{
    /// <summary>A chat (SDK) participant known by identity.</summary>
    Chat = 0,

    /// <summary>An SMS participant known by phone number.</summary>
    Sms = 1,

    /// <summary>A WhatsApp participant known by <c>whatsapp:</c> address.</summary>
    WhatsApp = 2,
}
