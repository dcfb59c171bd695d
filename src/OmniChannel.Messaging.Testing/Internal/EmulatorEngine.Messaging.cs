using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OmniChannel.Messaging.Testing.Internal;

internal sealed partial class EmulatorEngine
{
    public static readonly TimeSpan WhatsAppWindow = TimeSpan.FromHours(24);

    private string MessagesPath => $"/2010-04-01/Accounts/{AccountSid}/Messages";

    [GeneratedRegex(@"^(whatsapp:)?\+[1-9][0-9]{6,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex AddressPattern();

    public MessageRecord? FindMessage(string sid)
    {
        lock (gate)
        {
            return messagesBySid.GetValueOrDefault(sid);
        }
    }

    public void UpdateMessageStatus(MessageRecord message, string status, int? errorCode)
    {
        lock (gate)
        {
            message.Status = status;
            message.ErrorCode = errorCode ?? message.ErrorCode;
            message.DateUpdated = Now;
            if (status is "sent" or "delivered" or "read")
            {
                message.DateSent ??= Now;
            }
        }
    }

    public MessageRecord AddInbound(string from, string to, string? body, IReadOnlyList<string> mediaUrls, string? messagingServiceSid)
    {
        lock (gate)
        {
            var now = Now;
            var record = new MessageRecord
            {
                Sid = Sids.New(mediaUrls.Count > 0 ? "MM" : "SM"),
                From = from,
                To = to,
                Body = body,
                MessagingServiceSid = messagingServiceSid,
                Direction = "inbound",
                Status = "received",
                MediaUrls = mediaUrls,
                DateCreated = now,
                DateUpdated = now,
                DateSent = now,
            };
            Store(record);
            lastInbound[(to, from)] = now;
            if (messagingServiceSid is not null)
            {
                lastInbound[(messagingServiceSid, from)] = now;
            }

            return record;
        }
    }

    private void Store(MessageRecord record)
    {
        messages.Add(record);
        messagesBySid[record.Sid] = record;
    }

    private EmulatorResponse CreateMessage(FormData form)
    {
        Schemas.CreateMessage.Validate(form);
        var to = form["To"]!;
        var from = form["From"];
        var messagingServiceSid = form["MessagingServiceSid"];
        var body = form["Body"];
        var mediaUrls = form.All("MediaUrl");
        var contentSid = form["ContentSid"];
        CheckJson(form["ContentVariables"], "ContentVariables");

        if (!AddressPattern().IsMatch(to))
        {
            throw new EmulatorError(400, 21211, $"Invalid 'To' Phone Number: {to}");
        }

        if (from is null && messagingServiceSid is null)
        {
            throw new EmulatorError(400, 21603, "A 'From' phone number is required.");
        }

        if (body is null && mediaUrls.Count == 0 && contentSid is null)
        {
            throw new EmulatorError(400, 21602, "Message body is required.");
        }

        if (form["ContentVariables"] is not null && contentSid is null)
        {
            throw new EmulatorError(400, 21654, "ContentSid Required");
        }

        if (mediaUrls.Count > 10)
        {
            throw new EmulatorError(400, 21623, "Too many media URLs: at most 10 are allowed.");
        }

        var isWhatsApp = to.StartsWith("whatsapp:", StringComparison.Ordinal);
        if (from is not null)
        {
            if (from.StartsWith("whatsapp:", StringComparison.Ordinal) != isWhatsApp)
            {
                throw new EmulatorError(400, 21910, "Invalid From and To pair. From and To should be of the same channel.");
            }

            if (string.Equals(from, to, StringComparison.Ordinal))
            {
                throw new EmulatorError(400, 21211, $"Invalid 'To' Phone Number: {to} (the same as 'From')");
            }
        }

        if (form["ScheduleType"] is not null && (messagingServiceSid is null || form["SendAt"] is null))
        {
            throw new EmulatorError(400, 35111, "A scheduled message needs a MessagingServiceSid and a SendAt time.");
        }

        var scope = messagingServiceSid ?? from!;
        lock (gate)
        {
            if (contentSid is not null && !contentTemplates.ContainsKey(contentSid))
            {
                throw new EmulatorError(400, 21655, "The ContentSid is Invalid");
            }

            if (optOuts.Contains((scope, to)) || (from is not null && optOuts.Contains((from, to))))
            {
                throw new EmulatorError(400, 21610, "Attempt to send to unsubscribed recipient");
            }

            var now = Now;
            int? failure = null;
            string? failureMessage = null;
            if (isWhatsApp && contentSid is null && !InWindow(scope, from, to, now))
            {
                failure = 63016;
                failureMessage = "Failed to send freeform message because you are outside the allowed window. If you are using WhatsApp, please use a Message Template.";
            }
            else if (!TakeSenderPermit(scope, from, now))
            {
                failure = 63018;
                failureMessage = "Rate limit exceeded for the channel";
            }

            if (failure is { } code && ChannelErrorsAreSynchronous)
            {
                // Twilio reports both as a failed message, never as a 429: a 429 would read as 20429 (not processed, retry
                // at once), while the channel limit needs the sender to slow down. Synchronously they are plain 400s.
                throw new EmulatorError(400, code, failureMessage!);
            }

            var initial = form["ScheduleType"] is not null ? "scheduled" : messagingServiceSid is not null ? "accepted" : "queued";
            var record = new MessageRecord
            {
                Sid = Sids.New(mediaUrls.Count > 0 ? "MM" : "SM"),
                From = from ?? (isWhatsApp ? "whatsapp:" : string.Empty) + "+15005550006",
                To = to,
                Body = contentSid is not null ? contentTemplates[contentSid] ?? string.Empty : body ?? string.Empty,
                MessagingServiceSid = messagingServiceSid,
                Direction = "outbound-api",
                Status = initial,
                MediaUrls = mediaUrls,
                ContentSid = contentSid,
                StatusCallback = form["StatusCallback"],
                DateCreated = now,
                DateUpdated = now,
            };
            var response = MessageJson(record);
            if (failure is not null)
            {
                // Twilio accepts the request and fails the message afterwards; a fetch shows the failure.
                record.Status = "failed";
                record.ErrorCode = failure;
                record.ErrorMessage = failureMessage;
            }

            Store(record);
            return EmulatorResponse.Json(201, response);
        }
    }

    private bool InWindow(string scope, string? from, string to, DateTimeOffset now)
    {
        bool Open(string sender) => lastInbound.TryGetValue((sender, to), out var at) && now - at <= WhatsAppWindow;
        return Open(scope) || (from is not null && Open(from));
    }

    private bool TakeSenderPermit(string scope, string? from, DateTimeOffset now)
    {
        var key = senderRates.ContainsKey(scope) ? scope : from is not null && senderRates.ContainsKey(from) ? from : null;
        if (key is null)
        {
            return true;
        }

        var second = now.ToUnixTimeSeconds();
        var (bucket, count) = senderCounters.GetValueOrDefault(key);
        count = bucket == second ? count + 1 : 1;
        senderCounters[key] = (second, count);
        return count <= senderRates[key];
    }

    private EmulatorResponse FetchMessage(string sid, string path)
    {
        if (!TwilioSid.IsValid(sid, "SM") && !TwilioSid.IsValid(sid, "MM"))
        {
            throw EmulatorError.NotFound(path);
        }

        lock (gate)
        {
            return messagesBySid.TryGetValue(sid, out var record) ? EmulatorResponse.Json(200, MessageJson(record)) : throw EmulatorError.NotFound(path);
        }
    }

    private EmulatorResponse ListMessages(FormData query)
    {
        var (page, size) = Paging(query, Schemas.MessagesMaxPageSize);
        var to = query["To"];
        var from = query["From"];
        var filters = new List<KeyValuePair<string, string>>();
        if (to is not null)
        {
            filters.Add(new("To", to));
        }

        if (from is not null)
        {
            filters.Add(new("From", from));
        }

        lock (gate)
        {
            var items = messages
                .Where(m => (to is null || m.To == to) && (from is null || m.From == from))
                .Reverse()
                .ToList();
            var start = page * size;
            var pageItems = items.Skip(start).Take(size).ToList();
            var basePath = MessagesPath + ".json";
            return EmulatorResponse.Json(200, Json.Write(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("messages");
                foreach (var item in pageItems)
                {
                    WriteMessage(w, item);
                }

                w.WriteEndArray();
                w.WriteNumber("end", start + Math.Max(pageItems.Count, 1) - 1);
                w.WriteString("first_page_uri", $"{basePath}?{PageQueryString(filters, size, 0, false)}");
                w.StringOrNull("next_page_uri", start + size < items.Count ? $"{basePath}?{PageQueryString(filters, size, page + 1, true)}" : null);
                w.WriteNumber("page", page);
                w.WriteNumber("page_size", size);
                w.StringOrNull("previous_page_uri", page > 0 ? $"{basePath}?{PageQueryString(filters, size, page - 1, true)}" : null);
                w.WriteNumber("start", start);
                w.WriteString("uri", $"{basePath}?{PageQueryString(filters, size, page, false)}");
                w.WriteEndObject();
            }));
        }
    }

    private byte[] MessageJson(MessageRecord record) => Json.Write(w => WriteMessage(w, record));

    private void WriteMessage(Utf8JsonWriter w, MessageRecord m)
    {
        var uri = $"{MessagesPath}/{m.Sid}";
        w.WriteStartObject();
        w.WriteString("body", m.Body);
        w.WriteString("num_segments", m.NumSegments.ToString(CultureInfo.InvariantCulture));
        w.WriteString("direction", m.Direction);
        w.WriteString("from", m.From);
        w.WriteString("to", m.To);
        w.WriteString("date_updated", Json.Rfc2822(m.DateUpdated));
        if (m.IsPriced)
        {
            // Twilio reports charges as negative amounts with five decimals, for example "-0.00790".
            w.WriteString("price", (-(PricePerSegment * m.NumSegments)).ToString("0.00000", CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull("price");
        }

        w.StringOrNull("error_message", m.ErrorMessage);
        w.WriteString("uri", uri + ".json");
        w.WriteString("account_sid", AccountSid);
        w.WriteString("num_media", m.MediaUrls.Count.ToString(CultureInfo.InvariantCulture));
        w.WriteString("status", m.Status);
        w.StringOrNull("messaging_service_sid", m.MessagingServiceSid);
        w.WriteString("sid", m.Sid);
        w.StringOrNull("date_sent", m.DateSent is { } sent ? Json.Rfc2822(sent) : null);
        w.WriteString("date_created", Json.Rfc2822(m.DateCreated));
        if (m.ErrorCode is { } code)
        {
            w.WriteNumber("error_code", code);
        }
        else
        {
            w.WriteNull("error_code");
        }

        w.WriteString("price_unit", "USD");
        w.WriteString("api_version", "2010-04-01");
        w.WriteStartObject("subresource_uris");
        w.WriteString("media", uri + "/Media.json");
        w.WriteString("feedback", uri + "/Feedback.json");
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
