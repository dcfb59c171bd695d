using System.Diagnostics.CodeAnalysis;
using OmniChannel.Messaging.Phone.Internal;

namespace OmniChannel.Messaging;

/// <summary>
/// Represents where a message goes: an SMS number (<c>+14155550100</c>), a WhatsApp number (<c>whatsapp:+14155238886</c>)
/// or a chat identity (<c>agent-7</c>), in the form Twilio uses for <c>To</c>, <c>From</c> and Conversations bindings.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> gives the canonical form and <see cref="Parse"/> reads it back to an equal address, for every
/// address. Parsing reads <c>whatsapp:</c> as WhatsApp, <c>sms:</c>, <c>tel:</c> and anything starting like a phone number
/// (<c>+</c>, a digit or a parenthesis) as SMS, <c>chat:</c> followed by the identity as a chat identity, and anything else
/// as a chat identity as it is. A chat identity that would read as something else (<c>12345</c>, <c>+14155238886</c>,
/// <c>whatsapp:…</c>, <c>chat:…</c>) is therefore written with the <c>chat:</c> prefix; <see cref="Identity"/> always holds
/// the raw identity, the value to send to Twilio.
/// </remarks>
public readonly struct ChannelAddress : IEquatable<ChannelAddress>
{
    /// <summary>The longest identity Conversations accepts.</summary>
    public const int MaximumIdentityLength = 256;

    private const string WhatsAppPrefix = "whatsapp:";
    private const string ChatPrefix = "chat:";

    private readonly string? _value;

    private ChannelAddress(ChannelKind kind, PhoneNumber phoneNumber, string? identity, string value)
    {
        Kind = kind;
        PhoneNumber = phoneNumber;
        Identity = identity;
        _value = value;
    }

    /// <summary>Gets the channel; <see cref="ChannelKind.None"/> for the default value.</summary>
    public ChannelKind Kind { get; }

    /// <summary>Gets the phone number of an SMS or WhatsApp address; the empty default for a chat address.</summary>
    public PhoneNumber PhoneNumber { get; }

    /// <summary>Gets the identity of a chat address; <see langword="null"/> for SMS and WhatsApp addresses.</summary>
    public string? Identity { get; }

    /// <summary>Gets a value indicating whether the address is an SMS or WhatsApp number (Conversations messaging binding).</summary>
    public bool IsPhoneChannel => Kind is ChannelKind.Sms or ChannelKind.WhatsApp;

    /// <summary>Creates an SMS address.</summary>
    /// <param name="number">The phone number.</param>
    /// <returns>The address, whose string form is the E.164 number.</returns>
    /// <exception cref="ArgumentException"><paramref name="number"/> is the empty default.</exception>
    public static ChannelAddress Sms(PhoneNumber number)
    {
        ThrowIfEmpty(number);
        return new ChannelAddress(ChannelKind.Sms, number, null, number.ToString());
    }

    /// <summary>Creates a WhatsApp address.</summary>
    /// <param name="number">The phone number.</param>
    /// <returns>The address, whose string form is <c>whatsapp:</c> and the E.164 number.</returns>
    /// <exception cref="ArgumentException"><paramref name="number"/> is the empty default.</exception>
    public static ChannelAddress WhatsApp(PhoneNumber number)
    {
        ThrowIfEmpty(number);
        return new ChannelAddress(ChannelKind.WhatsApp, number, null, WhatsAppPrefix + number.ToString());
    }

    /// <summary>Creates a chat address for a Conversations identity.</summary>
    /// <param name="identity">The identity, 1 to 256 characters, not only white space.</param>
    /// <returns>
    /// The address, whose string form is the identity, or <c>chat:</c> and the identity when the identity alone would
    /// parse as a phone number or starts with a channel prefix (<c>12345</c> → <c>chat:12345</c>).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="identity"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="identity"/> is empty, white space or longer than 256 characters.</exception>
    public static ChannelAddress Chat(string identity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(identity);
        if (identity.Length > MaximumIdentityLength)
        {
            throw new ArgumentException($"The identity is {identity.Length} characters long; Conversations accepts at most {MaximumIdentityLength}.", nameof(identity));
        }

        return new ChannelAddress(ChannelKind.Chat, default, identity, NeedsChatPrefix(identity) ? ChatPrefix + identity : identity);
    }

    /// <summary>
    /// Parses an address: <c>whatsapp:+…</c>, an SMS number in any format <see cref="PhoneNumber"/> reads, <c>chat:</c> and a
    /// chat identity, or any other text as a chat identity.
    /// </summary>
    /// <param name="value">The address.</param>
    /// <param name="defaultRegion">The ISO 3166 two-letter region for numbers in national format, or <see langword="null"/>.</param>
    /// <returns>The address.</returns>
    /// <exception cref="FormatException">The value is empty, or looks like a phone number but is not one; the message names it and the reason.</exception>
    public static ChannelAddress Parse(string? value, string? defaultRegion = null) =>
        TryParse(value, defaultRegion, out var address, out var error) ? address : throw new FormatException(error.Message);

    /// <summary>Parses an address; see <see cref="Parse"/>.</summary>
    /// <param name="value">The address.</param>
    /// <param name="defaultRegion">The ISO 3166 two-letter region for numbers in national format, or <see langword="null"/>.</param>
    /// <param name="address">When this method returns <see langword="true"/>, the address.</param>
    /// <returns><see langword="true"/> when the value is an address; otherwise <see langword="false"/>.</returns>
    public static bool TryParse(string? value, string? defaultRegion, out ChannelAddress address) =>
        TryParse(value, defaultRegion, out address, out _);

    /// <summary>Parses an address and reports why it was rejected; see <see cref="Parse"/>.</summary>
    /// <param name="value">The address.</param>
    /// <param name="defaultRegion">The ISO 3166 two-letter region for numbers in national format, or <see langword="null"/>.</param>
    /// <param name="address">When this method returns <see langword="true"/>, the address.</param>
    /// <param name="error">When this method returns <see langword="false"/>, why the value was rejected.</param>
    /// <returns><see langword="true"/> when the value is an address; otherwise <see langword="false"/>.</returns>
    public static bool TryParse(string? value, string? defaultRegion, out ChannelAddress address, [NotNullWhen(false)] out PhoneNumberParseError? error)
    {
        address = default;
        var trimmed = value.AsSpan().Trim();
        if (trimmed.IsEmpty)
        {
            error = new PhoneNumberParseError(PhoneNumberParseErrorReason.Empty, value, $"'{value}' is not a channel address: it is empty.");
            return false;
        }

        if (trimmed.StartsWith(ChatPrefix, StringComparison.OrdinalIgnoreCase))
        {
            // Everything after the prefix is the identity, exactly (white space included).
            var raw = value!;
            var identity = raw[(raw.Length - raw.AsSpan().TrimStart().Length + ChatPrefix.Length)..];
            if (string.IsNullOrWhiteSpace(identity) || identity.Length > MaximumIdentityLength)
            {
                error = new PhoneNumberParseError(
                    string.IsNullOrWhiteSpace(identity) ? PhoneNumberParseErrorReason.Empty : PhoneNumberParseErrorReason.TooLong,
                    value,
                    $"'{value}' is not a channel address: the chat identity after '{ChatPrefix}' must be 1 to {MaximumIdentityLength} characters, not only white space.");
                return false;
            }

            address = Chat(identity);
            error = null;
            return true;
        }

        if (!LooksLikePhoneNumber(trimmed))
        {
            if (value!.Length > MaximumIdentityLength)
            {
                error = new PhoneNumberParseError(PhoneNumberParseErrorReason.TooLong, value, $"'{value}' is not a channel address: as a chat identity it is longer than {MaximumIdentityLength} characters.");
                return false;
            }

            address = new ChannelAddress(ChannelKind.Chat, default, value, value);
            error = null;
            return true;
        }

        if (!E164Parser.TryParse(value, defaultRegion, PhoneNumberParseOptions.None, out var number, out var prefix, out error))
        {
            return false;
        }

        address = prefix == ChannelPrefix.WhatsApp ? WhatsApp(number) : Sms(number);
        return true;
    }

    /// <summary>
    /// Determines whether a proxy address suits a Conversations messaging binding for this address: a WhatsApp binding
    /// needs a WhatsApp proxy (<c>whatsapp:+E164</c>); an SMS binding needs an E.164 number or a Messaging Service SID
    /// (<c>MG…</c>); a chat participant has no messaging binding, so it takes no proxy.
    /// </summary>
    /// <param name="address">The participant's address.</param>
    /// <param name="proxyAddress">The proxy address (the Twilio number or sender the participant talks to).</param>
    /// <param name="error">When this method returns <see langword="false"/>, a message naming both values and the rule.</param>
    /// <returns><see langword="true"/> when the proxy suits the address; otherwise <see langword="false"/>.</returns>
    public static bool IsValidProxy(ChannelAddress address, string? proxyAddress, [NotNullWhen(false)] out string? error)
    {
        error = null;
        switch (address.Kind)
        {
            case ChannelKind.WhatsApp:
                PhoneNumberParseError? whatsAppError = null;
                if (proxyAddress is not null
                    && proxyAddress.StartsWith(WhatsAppPrefix, StringComparison.Ordinal)
                    && PhoneNumber.TryFromE164(proxyAddress[WhatsAppPrefix.Length..], null, out _, out whatsAppError))
                {
                    return true;
                }

                error = $"The proxy address '{proxyAddress}' does not suit the WhatsApp address '{address}': a WhatsApp binding needs a WhatsApp proxy address such as 'whatsapp:+14155238886'{Because(whatsAppError)}.";
                return false;
            case ChannelKind.Sms:
                if (PhoneNumber.TryFromE164(proxyAddress, null, out _, out var smsError) || TwilioSid.IsValid(proxyAddress, "MG"))
                {
                    return true;
                }

                error = $"The proxy address '{proxyAddress}' does not suit the SMS address '{address}': an SMS binding needs an E.164 number such as '+14155550100' or a Messaging Service SID (MG followed by 32 hexadecimal characters){Because(proxyAddress is not null && proxyAddress.StartsWith('+') ? smsError : null)}.";
                return false;
            case ChannelKind.Chat:
                if (string.IsNullOrEmpty(proxyAddress))
                {
                    return true;
                }

                error = $"The chat identity '{address}' takes no proxy address ('{proxyAddress}' given): only SMS and WhatsApp participants have a messaging binding.";
                return false;
            default:
                error = "The address is empty (the default ChannelAddress value).";
                return false;
        }
    }

    private static string Because(PhoneNumberParseError? error) =>
        error is null ? string.Empty : $" ({error.Message.TrimEnd('.')})";

    /// <summary>Throws when a proxy address does not suit a Conversations messaging binding for this address; see <see cref="IsValidProxy"/>.</summary>
    /// <param name="address">The participant's address.</param>
    /// <param name="proxyAddress">The proxy address.</param>
    /// <param name="paramName">The parameter name reported in the exception.</param>
    /// <exception cref="ArgumentException">The proxy address does not suit the address; the message names both and the rule.</exception>
    public static void ValidateProxy(ChannelAddress address, string? proxyAddress, string? paramName = null)
    {
        if (!IsValidProxy(address, proxyAddress, out var error))
        {
            throw new ArgumentException(error, paramName ?? nameof(proxyAddress));
        }
    }

    /// <summary>Determines whether two addresses are equal.</summary>
    /// <param name="left">The first address.</param>
    /// <param name="right">The second address.</param>
    /// <returns><see langword="true"/> when the channel and canonical forms are equal.</returns>
    public static bool operator ==(ChannelAddress left, ChannelAddress right) => left.Equals(right);

    /// <summary>Determines whether two addresses differ.</summary>
    /// <param name="left">The first address.</param>
    /// <param name="right">The second address.</param>
    /// <returns><see langword="true"/> when the channel or canonical forms differ.</returns>
    public static bool operator !=(ChannelAddress left, ChannelAddress right) => !left.Equals(right);

    /// <summary>Determines whether this address equals another.</summary>
    /// <param name="other">The other address.</param>
    /// <returns><see langword="true"/> when the channel and canonical forms are equal (identities compare ordinally).</returns>
    public bool Equals(ChannelAddress other) => Kind == other.Kind && string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <summary>Determines whether this address equals another object.</summary>
    /// <param name="obj">The other object.</param>
    /// <returns><see langword="true"/> when the object is an equal <see cref="ChannelAddress"/>.</returns>
    public override bool Equals(object? obj) => obj is ChannelAddress other && Equals(other);

    /// <summary>Returns a hash code of the channel and canonical form.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Kind, _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value));

    /// <summary>
    /// Returns the canonical form: <c>+14155550100</c>, <c>whatsapp:+14155238886</c>, the identity, or <c>chat:</c> and the
    /// identity when the identity alone would parse as something else; empty for the default value.
    /// </summary>
    /// <returns>The canonical form.</returns>
    public override string ToString() => _value ?? string.Empty;

    private static bool NeedsChatPrefix(string identity)
    {
        var trimmed = identity.AsSpan().Trim();
        return trimmed.StartsWith(ChatPrefix, StringComparison.OrdinalIgnoreCase) || LooksLikePhoneNumber(trimmed);
    }

    private static bool LooksLikePhoneNumber(ReadOnlySpan<char> value)
    {
        if (value.StartsWith(WhatsAppPrefix, StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("sms:", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("tel:", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var first = value[0];
        return first is '+' or '\uFF0B' or '(' or '\uFF08' || char.IsDigit(first);
    }

    private static void ThrowIfEmpty(PhoneNumber number)
    {
        if (number.IsEmpty)
        {
            throw new ArgumentException("The phone number is empty (the default PhoneNumber value).", nameof(number));
        }
    }
}
