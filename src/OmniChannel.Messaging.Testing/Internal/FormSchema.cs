using System.Globalization;

namespace OmniChannel.Messaging.Testing.Internal;

internal enum FieldKind
{
    Text,
    DateTime,
    Sid,
    Enum,
    Boolean,
    Integer,
    Number,
    Uri,
    TextArray,
    UriArray,
}

internal sealed record FieldSpec(string Name, FieldKind Kind, string? Prefix = null, IReadOnlyList<string>? Values = null, bool Required = false);

/// <summary>
/// The form fields one endpoint accepts, with the types Twilio's OpenAPI spec gives them. Requests are checked the way
/// the conformance harness's strict copy of the spec checks them in Prism (exact, case-sensitive names; no unknown
/// fields; SID patterns; enums; lower-case booleans; absolute URLs; arrays of one or many), so the emulator rejects what
/// the real API's contract rejects.
/// </summary>
internal sealed class FormSchema
{
    private readonly Dictionary<string, FieldSpec> fields;

    public FormSchema(params FieldSpec[] specs) => fields = specs.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>Gets the names of the accepted fields (the conformance tests compare them with the pinned spec).</summary>
    public IEnumerable<string> FieldNames => fields.Keys;

    /// <summary>Gets the accepted fields with their types (the conformance tests compare them with the pinned spec).</summary>
    public IEnumerable<FieldSpec> Fields => fields.Values;

    public void Validate(FormData form)
    {
        foreach (var (key, value) in form.Pairs)
        {
            if (!fields.TryGetValue(key, out var spec))
            {
                throw EmulatorError.InvalidParameter($"Invalid parameter: '{key}' is not a parameter of this resource");
            }

            if (!IsValid(spec, value))
            {
                throw EmulatorError.InvalidParameter($"Invalid parameter: the value of '{key}' is not a valid {Describe(spec)}");
            }
        }

        foreach (var spec in fields.Values)
        {
            if (spec.Required && !form.Has(spec.Name))
            {
                throw new EmulatorError(400, 21604, $"A '{spec.Name}' parameter is required.");
            }
        }
    }

    public static void ValidateQuery(FormData query, string name, FieldSpec spec)
    {
        var value = query[name];
        if (value is not null && !IsValid(spec, value))
        {
            throw EmulatorError.InvalidParameter($"Invalid parameter: the value of '{name}' is not a valid {Describe(spec)}");
        }
    }

    internal static bool IsValid(FieldSpec spec, string value) => spec.Kind switch
    {
        FieldKind.Text or FieldKind.TextArray => true,
        FieldKind.DateTime => IsDateTime(value),
        FieldKind.Sid => TwilioSid.IsValid(value, spec.Prefix!),
        FieldKind.Enum => spec.Values!.Contains(value, StringComparer.Ordinal),
        FieldKind.Boolean => value is "true" or "false",
        FieldKind.Integer => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        FieldKind.Number => decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _),
        FieldKind.Uri or FieldKind.UriArray => IsAbsoluteUri(value),
        _ => false,
    };

    internal static bool IsDateTime(string value) =>
        value.Length >= 20 && value[10] is 'T' or 't'
        && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)
        && (value.EndsWith('Z') || value.EndsWith('z') || value[^6] is '+' or '-');

    private static bool IsAbsoluteUri(string value) =>
        value.Length > 0 && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme.Length > 0 && !value.Contains(' ', StringComparison.Ordinal);

    private static string Describe(FieldSpec spec) => spec.Kind switch
    {
        FieldKind.DateTime => "ISO 8601 date-time",
        FieldKind.Sid => $"{spec.Prefix} SID",
        FieldKind.Enum => "value; expected one of " + string.Join(", ", spec.Values!),
        FieldKind.Boolean => "boolean (true or false)",
        FieldKind.Integer => "integer",
        FieldKind.Number => "number",
        FieldKind.Uri or FieldKind.UriArray => "absolute URL",
        _ => "value",
    };
}

/// <summary>The form schemas of the emulated endpoints, taken from Twilio's OpenAPI specs (Conversations v1, API 2010-04-01).</summary>
internal static class Schemas
{
    // The spec's conversation_enum_state: a conversation can be initializing, but no request may ask for that state.
    private static readonly string[] ConversationStates = ["inactive", "active", "closed"];

    public static readonly FieldSpec ConversationStateQuery = new("State", FieldKind.Enum, Values: ["inactive", "active", "closed"]);

    public static readonly FieldSpec OrderQuery = new("Order", FieldKind.Enum, Values: ["asc", "desc"]);

    public static readonly FieldSpec PageSizeQuery = new("PageSize", FieldKind.Integer);

    /// <summary>The largest PageSize of the Conversations, Participants and conversation Messages lists (the spec's maximum).</summary>
    public const int ConversationsMaxPageSize = 100;

    /// <summary>The largest PageSize of ParticipantConversations (the spec's maximum).</summary>
    public const int ParticipantConversationsMaxPageSize = 50;

    /// <summary>The largest PageSize of the 2010 Messages list (the spec's maximum).</summary>
    public const int MessagesMaxPageSize = 1000;

    public static readonly FieldSpec PageQuery = new("Page", FieldKind.Integer);

    public static readonly FormSchema CreateConversation = new(
        new("FriendlyName", FieldKind.Text),
        new("UniqueName", FieldKind.Text),
        new("DateCreated", FieldKind.DateTime),
        new("DateUpdated", FieldKind.DateTime),
        new("MessagingServiceSid", FieldKind.Sid, "MG"),
        new("Attributes", FieldKind.Text),
        new("State", FieldKind.Enum, Values: ConversationStates),
        new("Timers.Inactive", FieldKind.Text),
        new("Timers.Closed", FieldKind.Text),
        new("Bindings.Email.Address", FieldKind.Text),
        new("Bindings.Email.Name", FieldKind.Text));

    public static readonly FormSchema UpdateConversation = CreateConversation;

    public static readonly FormSchema CreateParticipant = new(
        new("Identity", FieldKind.Text),
        new("MessagingBinding.Address", FieldKind.Text),
        new("MessagingBinding.ProxyAddress", FieldKind.Text),
        new("DateCreated", FieldKind.DateTime),
        new("DateUpdated", FieldKind.DateTime),
        new("Attributes", FieldKind.Text),
        new("MessagingBinding.ProjectedAddress", FieldKind.Text),
        new("RoleSid", FieldKind.Sid, "RL"));

    public static readonly FormSchema UpdateParticipant = new(
        new("DateCreated", FieldKind.DateTime),
        new("DateUpdated", FieldKind.DateTime),
        new("Attributes", FieldKind.Text),
        new("RoleSid", FieldKind.Sid, "RL"),
        new("MessagingBinding.ProxyAddress", FieldKind.Text),
        new("MessagingBinding.ProjectedAddress", FieldKind.Text),
        new("Identity", FieldKind.Text),
        new("LastReadMessageIndex", FieldKind.Integer),
        new("LastReadTimestamp", FieldKind.Text));

    public static readonly FormSchema CreateConversationMessage = new(
        new("Author", FieldKind.Text),
        new("Body", FieldKind.Text),
        new("DateCreated", FieldKind.DateTime),
        new("DateUpdated", FieldKind.DateTime),
        new("Attributes", FieldKind.Text),
        new("MediaSid", FieldKind.Sid, "ME"),
        new("ContentSid", FieldKind.Sid, "HX"),
        new("ContentVariables", FieldKind.Text),
        new("Subject", FieldKind.Text));

    public static readonly FormSchema CreateMessage = new(
        new("To", FieldKind.Text, Required: true),
        new("StatusCallback", FieldKind.Uri),
        new("ApplicationSid", FieldKind.Sid, "AP"),
        new("MaxPrice", FieldKind.Number),
        new("ProvideFeedback", FieldKind.Boolean),
        new("Attempt", FieldKind.Integer),
        new("ValidityPeriod", FieldKind.Integer),
        new("ForceDelivery", FieldKind.Boolean),
        new("ContentRetention", FieldKind.Enum, Values: ["retain", "discard"]),
        new("AddressRetention", FieldKind.Enum, Values: ["retain", "obfuscate"]),
        new("SmartEncoded", FieldKind.Boolean),
        new("PersistentAction", FieldKind.TextArray),
        new("TrafficType", FieldKind.Enum, Values: ["free"]),
        new("ShortenUrls", FieldKind.Boolean),
        new("ScheduleType", FieldKind.Enum, Values: ["fixed"]),
        new("SendAt", FieldKind.DateTime),
        new("SendAsMms", FieldKind.Boolean),
        new("ContentVariables", FieldKind.Text),
        new("RiskCheck", FieldKind.Enum, Values: ["enable", "disable"]),
        new("From", FieldKind.Text),
        new("MessagingServiceSid", FieldKind.Sid, "MG"),
        new("Body", FieldKind.Text),
        new("MediaUrl", FieldKind.UriArray),
        new("ContentSid", FieldKind.Sid, "HX"));

    /// <summary>
    /// Gets every form endpoint the emulator serves, by the path template of the pinned OpenAPI spec it follows, so a test
    /// can compare the accepted fields with the spec's request body.
    /// </summary>
    public static IReadOnlyList<(string Method, string SpecPath, FormSchema Schema)> FormEndpoints { get; } =
    [
        ("post", "/v1/Conversations", CreateConversation),
        ("post", "/v1/Conversations/{Sid}", UpdateConversation),
        ("post", "/v1/Conversations/{ConversationSid}/Participants", CreateParticipant),
        ("post", "/v1/Conversations/{ConversationSid}/Participants/{Sid}", UpdateParticipant),
        ("post", "/v1/Conversations/{ConversationSid}/Messages", CreateConversationMessage),
        ("post", "/v1/Services/{ChatServiceSid}/Conversations", CreateConversation),
        ("post", "/v1/Services/{ChatServiceSid}/Conversations/{Sid}", UpdateConversation),
        ("post", "/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Participants", CreateParticipant),
        ("post", "/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Participants/{Sid}", UpdateParticipant),
        ("post", "/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Messages", CreateConversationMessage),
        ("post", "/2010-04-01/Accounts/{AccountSid}/Messages.json", CreateMessage),
    ];

    /// <summary>Gets every list endpoint the emulator serves, by spec path template, with the PageSize maximum it enforces.</summary>
    public static IReadOnlyList<(string SpecPath, int MaxPageSize)> ListEndpoints { get; } =
    [
        ("/v1/Conversations", ConversationsMaxPageSize),
        ("/v1/Conversations/{ConversationSid}/Participants", ConversationsMaxPageSize),
        ("/v1/Conversations/{ConversationSid}/Messages", ConversationsMaxPageSize),
        ("/v1/ParticipantConversations", ParticipantConversationsMaxPageSize),
        ("/v1/Services/{ChatServiceSid}/Conversations", ConversationsMaxPageSize),
        ("/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Participants", ConversationsMaxPageSize),
        ("/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Messages", ConversationsMaxPageSize),
        ("/v1/Services/{ChatServiceSid}/ParticipantConversations", ParticipantConversationsMaxPageSize),
        ("/2010-04-01/Accounts/{AccountSid}/Messages.json", MessagesMaxPageSize),
    ];
}
