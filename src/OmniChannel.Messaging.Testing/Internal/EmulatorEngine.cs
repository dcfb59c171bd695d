using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OmniChannel.Messaging.Testing.Internal;

internal sealed record EmulatorResponse(int Status, byte[]? Body)
{
    public static EmulatorResponse Json(int status, byte[] body) => new(status, body);
}

/// <summary>
/// The emulated Twilio account: every resource, the opt-out list, WhatsApp windows and rate counters, behind one lock so
/// that concurrent requests see a consistent state (one winner per unique name, one binding per address pair).
/// </summary>
internal sealed partial class EmulatorEngine
{
    private const int DefaultPageSize = 50;

    private readonly object gate = new();
    private readonly Dictionary<string, ChatService> services = new(StringComparer.Ordinal);
    private readonly List<MessageRecord> messages = [];
    private readonly Dictionary<string, MessageRecord> messagesBySid = new(StringComparer.Ordinal);
    private readonly HashSet<(string Scope, string Recipient)> optOuts = [];
    private readonly Dictionary<(string Sender, string User), DateTimeOffset> lastInbound = [];
    private readonly Dictionary<string, string?> contentTemplates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> senderRates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Second, int Count)> senderCounters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> apiKeys = new(StringComparer.Ordinal);

    public EmulatorEngine(string accountSid, string authToken, string defaultServiceSid, TimeProvider timeProvider, bool channelErrorsAreSynchronous)
    {
        AccountSid = accountSid;
        AuthToken = authToken;
        DefaultServiceSid = defaultServiceSid;
        TimeProvider = timeProvider;
        ChannelErrorsAreSynchronous = channelErrorsAreSynchronous;
        services[defaultServiceSid] = new ChatService(defaultServiceSid);
    }

    public string AccountSid { get; }

    public string AuthToken { get; }

    public string DefaultServiceSid { get; }

    public TimeProvider TimeProvider { get; }

    public bool ChannelErrorsAreSynchronous { get; }

    public string BaseUrl { get; set; } = "http://127.0.0.1";

    public decimal PricePerSegment { get; set; }

    private DateTimeOffset Now => TimeProvider.GetUtcNow();

    public string AddChatService()
    {
        var sid = Sids.New("IS");
        lock (gate)
        {
            services[sid] = new ChatService(sid);
        }

        return sid;
    }

    public void AddApiKey(string sid, string secret)
    {
        lock (gate)
        {
            apiKeys[sid] = secret;
        }
    }

    public void AddContentTemplate(string contentSid, string? body)
    {
        lock (gate)
        {
            contentTemplates[contentSid] = body;
        }
    }

    public void SetOptOut(string scope, string recipient, bool optedOut)
    {
        lock (gate)
        {
            if (optedOut)
            {
                optOuts.Add((scope, recipient));
            }
            else
            {
                optOuts.Remove((scope, recipient));
            }
        }
    }

    public bool IsOptedOut(string scope, string recipient)
    {
        lock (gate)
        {
            return optOuts.Contains((scope, recipient));
        }
    }

    public void RecordInbound(string sender, string user)
    {
        lock (gate)
        {
            lastInbound[(sender, user)] = Now;
        }
    }

    public void SetSenderRate(string sender, int? messagesPerSecond)
    {
        lock (gate)
        {
            if (messagesPerSecond is { } rate)
            {
                senderRates[sender] = rate;
            }
            else
            {
                senderRates.Remove(sender);
            }
        }
    }

    public bool IsAuthorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        var user = decoded[..colon];
        var password = decoded[(colon + 1)..];
        if (string.Equals(user, AccountSid, StringComparison.Ordinal))
        {
            return FixedTimeEquals(password, AuthToken);
        }

        lock (gate)
        {
            return apiKeys.TryGetValue(user, out var secret) && FixedTimeEquals(password, secret);
        }
    }

    public EmulatorResponse Handle(string method, string path, FormData query, FormData form, IHeaderDictionary headers)
    {
        try
        {
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (headers.TryGetValue("X-Twilio-Webhook-Enabled", out var webhookEnabled) && webhookEnabled.ToString() is not ("true" or "false"))
            {
                throw EmulatorError.InvalidParameter("Invalid header: X-Twilio-Webhook-Enabled must be true or false");
            }

            if (segments is ["v1", "Conversations", .. var rest])
            {
                return Conversations(method, DefaultService(), "/v1/Conversations", rest, query, form, path);
            }

            if (segments is ["v1", "ParticipantConversations"])
            {
                return method == "GET" ? ParticipantConversations(DefaultService(), query) : throw MethodNotAllowed(method);
            }

            if (segments is ["v1", "Services", var pcServiceSid, "ParticipantConversations"])
            {
                ChatService? pcService;
                lock (gate)
                {
                    pcService = services.GetValueOrDefault(pcServiceSid);
                }

                if (pcService is null)
                {
                    throw EmulatorError.NotFound(path);
                }

                return method == "GET" ? ParticipantConversations(pcService, query) : throw MethodNotAllowed(method);
            }

            if (segments is ["v1", "Services", var serviceSid, "Conversations", .. var serviceRest])
            {
                ChatService? service;
                lock (gate)
                {
                    service = services.GetValueOrDefault(serviceSid);
                }

                if (service is null || !TwilioSid.IsValid(serviceSid, "IS"))
                {
                    throw EmulatorError.NotFound(path);
                }

                return Conversations(method, service, $"/v1/Services/{serviceSid}/Conversations", serviceRest, query, form, path);
            }

            if (segments is ["2010-04-01", "Accounts", var accountSid, .. var accountRest])
            {
                if (!string.Equals(accountSid, AccountSid, StringComparison.Ordinal))
                {
                    throw EmulatorError.NotFound(path);
                }

                return accountRest switch
                {
                    ["Messages.json"] when method == "POST" => CreateMessage(form),
                    ["Messages.json"] when method == "GET" => ListMessages(query),
                    ["Messages", var file] when file.EndsWith(".json", StringComparison.Ordinal) && method == "GET" =>
                        FetchMessage(file[..^5], path),
                    ["Messages.json"] or ["Messages", _] => throw MethodNotAllowed(method),
                    _ => throw EmulatorError.NotFound(path),
                };
            }

            throw EmulatorError.NotFound(path);
        }
        catch (EmulatorError error)
        {
            return EmulatorResponse.Json(error.Status, Json.Error(error.Status, error.Code, error.Message));
        }
    }

    private ChatService DefaultService()
    {
        lock (gate)
        {
            return services[DefaultServiceSid];
        }
    }

    private static EmulatorError MethodNotAllowed(string method) => new(405, 20004, $"Method {method} not allowed");

    private static (int Page, int PageSize) Paging(FormData query, int maxPageSize)
    {
        FormSchema.ValidateQuery(query, "PageSize", Schemas.PageSizeQuery);
        FormSchema.ValidateQuery(query, "Page", Schemas.PageQuery);
        // Parsed as long: an integer beyond Int32 is still an integer to the spec (PageSize then fails its maximum, and a
        // Page past the end is simply an empty page).
        var size = query["PageSize"] is { } s ? long.Parse(s, CultureInfo.InvariantCulture) : DefaultPageSize;
        var page = query["Page"] is { } p ? long.Parse(p, CultureInfo.InvariantCulture) : 0;
        if (size < 1 || size > maxPageSize || page < 0)
        {
            throw EmulatorError.InvalidParameter($"Invalid paging: PageSize must be between 1 and {maxPageSize}, Page must not be negative");
        }

        return ((int)Math.Min(page, int.MaxValue / size), (int)size);
    }

    private static string PageQueryString(IEnumerable<KeyValuePair<string, string>> filters, int pageSize, int page, bool withToken)
    {
        var pairs = filters.ToList();
        pairs.Add(new("PageSize", pageSize.ToString(CultureInfo.InvariantCulture)));
        pairs.Add(new("Page", page.ToString(CultureInfo.InvariantCulture)));
        if (withToken)
        {
            pairs.Add(new("PageToken", "PT" + (page * pageSize).ToString(CultureInfo.InvariantCulture)));
        }

        return FormData.Encode(pairs);
    }

    private static void CheckJson(string? attributes, string name)
    {
        if (attributes is null)
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(attributes);
        }
        catch (JsonException)
        {
            throw new EmulatorError(400, 50006, $"{name} must be valid JSON");
        }
    }

    private static bool FixedTimeEquals(string a, string b) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
