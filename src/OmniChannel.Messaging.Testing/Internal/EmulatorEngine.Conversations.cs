using System.Globalization;
using System.Text.Json;
using System.Xml;

namespace OmniChannel.Messaging.Testing.Internal;

internal sealed partial class EmulatorEngine
{
    private EmulatorResponse Conversations(string method, ChatService service, string basePath, string[] rest, FormData query, FormData form, string path)
    {
        switch (rest)
        {
            case []:
                return method switch
                {
                    "POST" => CreateConversation(service, basePath, form),
                    "GET" => ListConversations(service, basePath, query),
                    _ => throw MethodNotAllowed(method),
                };
            case [var id]:
                return method switch
                {
                    "GET" => Locked(() => EmulatorResponse.Json(200, ConversationJson(FindConversation(service, id, path), basePath))),
                    "POST" => UpdateConversation(service, basePath, id, form, path),
                    "DELETE" => DeleteConversation(service, id, path),
                    _ => throw MethodNotAllowed(method),
                };
            case [var id, "Participants"]:
                return method switch
                {
                    "POST" => CreateParticipant(service, basePath, id, form, path),
                    "GET" => ListParticipants(service, basePath, id, query, path),
                    _ => throw MethodNotAllowed(method),
                };
            case [var id, "Participants", var participantId]:
                return method switch
                {
                    "GET" => Locked(() =>
                    {
                        var conversation = FindConversation(service, id, path);
                        return EmulatorResponse.Json(200, ParticipantJson(conversation, FindParticipant(conversation, participantId, path), basePath));
                    }),
                    "POST" => UpdateParticipant(service, basePath, id, participantId, form, path),
                    "DELETE" => Locked(() =>
                    {
                        var conversation = FindConversation(service, id, path);
                        conversation.Participants.Remove(FindParticipant(conversation, participantId, path));
                        return new EmulatorResponse(204, null);
                    }),
                    _ => throw MethodNotAllowed(method),
                };
            case [var id, "Messages"]:
                return method switch
                {
                    "POST" => CreateConversationMessage(service, basePath, id, form, path),
                    "GET" => ListConversationMessages(service, basePath, id, query, path),
                    _ => throw MethodNotAllowed(method),
                };
            case [var id, "Messages", var messageSid]:
                return method switch
                {
                    "GET" => Locked(() =>
                    {
                        var conversation = FindConversation(service, id, path);
                        return EmulatorResponse.Json(200, ConversationMessageJson(conversation, FindConversationMessage(conversation, messageSid, path), basePath));
                    }),
                    "DELETE" => Locked(() =>
                    {
                        var conversation = FindConversation(service, id, path);
                        conversation.Messages.Remove(FindConversationMessage(conversation, messageSid, path));
                        return new EmulatorResponse(204, null);
                    }),
                    _ => throw MethodNotAllowed(method),
                };
            default:
                throw EmulatorError.NotFound(path);
        }
    }

    private EmulatorResponse Locked(Func<EmulatorResponse> action)
    {
        lock (gate)
        {
            return action();
        }
    }

    private static ConversationRecord FindConversation(ChatService service, string id, string path)
    {
        // A CH-shaped value must be a real SID; anything else is looked up as a unique name, as Twilio allows.
        if (id.StartsWith("CH", StringComparison.Ordinal) && id.Length == TwilioSid.Length && !TwilioSid.IsValid(id, "CH"))
        {
            throw EmulatorError.NotFound(path);
        }

        return service.Find(id) ?? throw EmulatorError.NotFound(path);
    }

    private static ParticipantRecord FindParticipant(ConversationRecord conversation, string id, string path) =>
        conversation.Participants.FirstOrDefault(p => string.Equals(p.Sid, id, StringComparison.Ordinal))
        ?? (id.StartsWith("MB", StringComparison.Ordinal) ? null : conversation.Participants.FirstOrDefault(p => string.Equals(p.Identity, id, StringComparison.Ordinal)))
        ?? throw EmulatorError.NotFound(path);

    private static ConversationMessageRecord FindConversationMessage(ConversationRecord conversation, string sid, string path) =>
        TwilioSid.IsValid(sid, "IM")
            ? conversation.Messages.FirstOrDefault(m => string.Equals(m.Sid, sid, StringComparison.Ordinal)) ?? throw EmulatorError.NotFound(path)
            : throw EmulatorError.NotFound(path);

    private EmulatorResponse CreateConversation(ChatService service, string basePath, FormData form)
    {
        Schemas.CreateConversation.Validate(form);
        CheckJson(form["Attributes"], "Attributes");
        CheckTimers(form);
        lock (gate)
        {
            var uniqueName = form["UniqueName"];
            if (uniqueName is not null && service.ByUniqueName.ContainsKey(uniqueName))
            {
                throw new EmulatorError(409, 50353, "Conversation with provided unique name already exists");
            }

            var now = Now;
            var conversation = new ConversationRecord
            {
                Sid = Sids.New("CH"),
                ServiceSid = service.Sid,
                DateCreated = form["DateCreated"] is { } created ? ParseDate(created) : now,
                DateUpdated = form["DateUpdated"] is { } updated ? ParseDate(updated) : now,
            };
            Apply(conversation, form);
            service.Conversations.Add(conversation);
            service.BySid[conversation.Sid] = conversation;
            if (conversation.UniqueName is not null)
            {
                service.ByUniqueName[conversation.UniqueName] = conversation;
            }

            return EmulatorResponse.Json(201, ConversationJson(conversation, basePath));
        }
    }

    private EmulatorResponse UpdateConversation(ChatService service, string basePath, string id, FormData form, string path)
    {
        Schemas.UpdateConversation.Validate(form);
        CheckJson(form["Attributes"], "Attributes");
        CheckTimers(form);
        lock (gate)
        {
            var conversation = FindConversation(service, id, path);
            var uniqueName = form["UniqueName"];
            if (uniqueName is not null && !string.Equals(uniqueName, conversation.UniqueName, StringComparison.Ordinal))
            {
                if (uniqueName.Length > 0 && service.ByUniqueName.ContainsKey(uniqueName))
                {
                    throw new EmulatorError(409, 50353, "Conversation with provided unique name already exists");
                }

                if (conversation.UniqueName is not null)
                {
                    service.ByUniqueName.Remove(conversation.UniqueName);
                }
            }

            Apply(conversation, form);
            if (conversation.UniqueName is not null)
            {
                service.ByUniqueName[conversation.UniqueName] = conversation;
            }

            conversation.DateUpdated = form["DateUpdated"] is { } updated ? ParseDate(updated) : Now;
            if (form["DateCreated"] is { } created)
            {
                conversation.DateCreated = ParseDate(created);
            }

            return EmulatorResponse.Json(200, ConversationJson(conversation, basePath));
        }
    }

    private EmulatorResponse DeleteConversation(ChatService service, string id, string path)
    {
        lock (gate)
        {
            var conversation = FindConversation(service, id, path);
            service.Conversations.Remove(conversation);
            service.BySid.Remove(conversation.Sid);
            if (conversation.UniqueName is not null)
            {
                service.ByUniqueName.Remove(conversation.UniqueName);
            }

            return new EmulatorResponse(204, null);
        }
    }

    private static void Apply(ConversationRecord conversation, FormData form)
    {
        if (form["UniqueName"] is { } uniqueName)
        {
            conversation.UniqueName = uniqueName.Length == 0 ? null : uniqueName;
        }

        conversation.FriendlyName = form["FriendlyName"] ?? conversation.FriendlyName;
        conversation.Attributes = form["Attributes"] ?? conversation.Attributes;
        conversation.State = form["State"] ?? conversation.State;
        conversation.MessagingServiceSid = form["MessagingServiceSid"] ?? conversation.MessagingServiceSid;
        conversation.TimersInactive = form["Timers.Inactive"] ?? conversation.TimersInactive;
        conversation.TimersClosed = form["Timers.Closed"] ?? conversation.TimersClosed;
        conversation.EmailAddress = form["Bindings.Email.Address"] ?? conversation.EmailAddress;
        conversation.EmailName = form["Bindings.Email.Name"] ?? conversation.EmailName;
    }

    private static void CheckTimers(FormData form)
    {
        CheckTimer(form["Timers.Inactive"], "Timers.Inactive", TimeSpan.FromMinutes(1));
        CheckTimer(form["Timers.Closed"], "Timers.Closed", TimeSpan.FromMinutes(10));

        static void CheckTimer(string? value, string name, TimeSpan minimum)
        {
            if (value is null)
            {
                return;
            }

            if (!TryParseDuration(value, out var duration) || duration < minimum)
            {
                throw EmulatorError.InvalidParameter($"Invalid parameter: {name} must be an ISO 8601 duration of at least {minimum.TotalMinutes} minutes");
            }
        }
    }

    private static bool TryParseDuration(string value, out TimeSpan duration)
    {
        try
        {
            duration = XmlConvert.ToTimeSpan(value);
            return true;
        }
        catch (FormatException)
        {
            duration = default;
            return false;
        }
    }

    private static DateTimeOffset ParseDate(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private EmulatorResponse ListConversations(ChatService service, string basePath, FormData query)
    {
        FormSchema.ValidateQuery(query, "State", Schemas.ConversationStateQuery);
        var (page, size) = Paging(query, Schemas.ConversationsMaxPageSize);
        var state = query["State"];
        var filters = state is null ? [] : new List<KeyValuePair<string, string>> { new("State", state) };
        lock (gate)
        {
            var items = service.Conversations.Where(c => state is null || c.State == state).ToList();
            return EmulatorResponse.Json(200, PageJson("conversations", basePath, filters, items, page, size, (w, c) => WriteConversation(w, c, basePath)));
        }
    }

    private byte[] PageJson<T>(string key, string basePath, List<KeyValuePair<string, string>> filters, List<T> items, int page, int size, Action<Utf8JsonWriter, T> write) =>
        Json.Write(w =>
        {
            var start = (long)page * size;
            w.WriteStartObject();
            w.WriteStartArray(key);
            foreach (var item in items.Skip((int)Math.Min(start, int.MaxValue)).Take(size))
            {
                write(w, item);
            }

            w.WriteEndArray();
            w.WriteStartObject("meta");
            w.WriteNumber("page", page);
            w.WriteNumber("page_size", size);
            w.WriteString("first_page_url", $"{BaseUrl}{basePath}?{PageQueryString(filters, size, 0, false)}");
            w.StringOrNull("previous_page_url", page > 0 ? $"{BaseUrl}{basePath}?{PageQueryString(filters, size, page - 1, true)}" : null);
            w.WriteString("url", $"{BaseUrl}{basePath}?{PageQueryString(filters, size, page, false)}");
            w.StringOrNull("next_page_url", start + size < items.Count ? $"{BaseUrl}{basePath}?{PageQueryString(filters, size, page + 1, true)}" : null);
            w.WriteString("key", key);
            w.WriteEndObject();
            w.WriteEndObject();
        });

    private byte[] ConversationJson(ConversationRecord conversation, string basePath) => Json.Write(w => WriteConversation(w, conversation, basePath));

    private void WriteConversation(Utf8JsonWriter w, ConversationRecord c, string basePath)
    {
        var url = $"{BaseUrl}{basePath}/{c.Sid}";
        w.WriteStartObject();
        w.WriteString("account_sid", AccountSid);
        w.WriteString("chat_service_sid", c.ServiceSid);
        w.StringOrNull("messaging_service_sid", c.MessagingServiceSid);
        w.WriteString("sid", c.Sid);
        w.StringOrNull("friendly_name", c.FriendlyName);
        w.StringOrNull("unique_name", c.UniqueName);
        w.WriteString("attributes", c.Attributes);
        w.WriteString("state", c.State);
        w.WriteString("date_created", Json.Iso(c.DateCreated));
        w.WriteString("date_updated", Json.Iso(c.DateUpdated));
        WriteTimers(w, "timers", c);
        w.WriteString("url", url);
        w.WriteStartObject("links");
        w.WriteString("participants", url + "/Participants");
        w.WriteString("messages", url + "/Messages");
        w.WriteString("webhooks", url + "/Webhooks");
        w.WriteEndObject();
        if (c.EmailAddress is null && c.EmailName is null)
        {
            w.WriteNull("bindings");
        }
        else
        {
            w.WriteStartObject("bindings");
            w.WriteStartObject("email");
            w.StringOrNull("address", c.EmailAddress);
            w.StringOrNull("name", c.EmailName);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    // Twilio's service-scoped participant and message resources carry chat_service_sid; the default-service ones do not.
    private static void WriteServiceSid(Utf8JsonWriter w, ConversationRecord c, string basePath)
    {
        if (basePath.StartsWith("/v1/Services/", StringComparison.Ordinal))
        {
            w.WriteString("chat_service_sid", c.ServiceSid);
        }
    }

    private static void WriteTimers(Utf8JsonWriter w, string name, ConversationRecord c)
    {
        w.WriteStartObject(name);
        if (c.TimersInactive is not null && TryParseDuration(c.TimersInactive, out var inactive))
        {
            w.WriteString("date_inactive", Json.Iso(c.DateUpdated + inactive));
        }

        if (c.TimersClosed is not null && TryParseDuration(c.TimersClosed, out var closed))
        {
            w.WriteString("date_closed", Json.Iso(c.DateUpdated + closed));
        }

        w.WriteEndObject();
    }

    private EmulatorResponse CreateParticipant(ChatService service, string basePath, string id, FormData form, string path)
    {
        Schemas.CreateParticipant.Validate(form);
        CheckJson(form["Attributes"], "Attributes");
        var identity = form["Identity"];
        var address = form["MessagingBinding.Address"];
        var proxy = form["MessagingBinding.ProxyAddress"];
        var projected = form["MessagingBinding.ProjectedAddress"];
        if (identity is null && address is null)
        {
            throw new EmulatorError(400, 50402, "Either Identity or MessagingBinding.Address is required");
        }

        if (identity is not null && address is not null)
        {
            throw new EmulatorError(400, 50402, "A participant is either a chat participant (Identity) or a non-chat participant (MessagingBinding.Address), not both");
        }

        lock (gate)
        {
            var conversation = FindConversation(service, id, path);
            if (identity is not null && conversation.Participants.Any(p => string.Equals(p.Identity, identity, StringComparison.Ordinal)))
            {
                throw new EmulatorError(409, 50433, "Participant already exists");
            }

            if (address is not null)
            {
                if (conversation.Participants.Any(p => string.Equals(p.Address, address, StringComparison.Ordinal) && string.Equals(p.ProxyAddress, proxy, StringComparison.Ordinal)))
                {
                    throw new EmulatorError(409, 50437, "Group Participant already exists");
                }

                if (proxy is not null)
                {
                    var other = service.Conversations.FirstOrDefault(c => !ReferenceEquals(c, conversation) && c.State != "closed"
                        && c.Participants.Any(p => string.Equals(p.Address, address, StringComparison.Ordinal) && string.Equals(p.ProxyAddress, proxy, StringComparison.Ordinal)));
                    if (other is not null)
                    {
                        throw new EmulatorError(409, 50416, $"A binding for this participant and proxy address already exists in Conversation {other.Sid}");
                    }
                }
            }

            var now = Now;
            var participant = new ParticipantRecord
            {
                Sid = Sids.New("MB"),
                Identity = identity,
                Address = address,
                ProxyAddress = proxy,
                ProjectedAddress = projected,
                Attributes = form["Attributes"] ?? "{}",
                RoleSid = form["RoleSid"],
                DateCreated = form["DateCreated"] is { } created ? ParseDate(created) : now,
                DateUpdated = form["DateUpdated"] is { } updated ? ParseDate(updated) : now,
            };
            conversation.Participants.Add(participant);
            return EmulatorResponse.Json(201, ParticipantJson(conversation, participant, basePath));
        }
    }

    private EmulatorResponse UpdateParticipant(ChatService service, string basePath, string id, string participantId, FormData form, string path)
    {
        Schemas.UpdateParticipant.Validate(form);
        CheckJson(form["Attributes"], "Attributes");
        lock (gate)
        {
            var conversation = FindConversation(service, id, path);
            var participant = FindParticipant(conversation, participantId, path);
            if (form["Identity"] is { } identity && !string.Equals(identity, participant.Identity, StringComparison.Ordinal)
                && conversation.Participants.Any(p => string.Equals(p.Identity, identity, StringComparison.Ordinal)))
            {
                throw new EmulatorError(409, 50433, "Participant already exists");
            }

            participant.Identity = form["Identity"] ?? participant.Identity;
            participant.Attributes = form["Attributes"] ?? participant.Attributes;
            participant.RoleSid = form["RoleSid"] ?? participant.RoleSid;
            if (form["MessagingBinding.ProxyAddress"] is { } proxy)
            {
                participant.ProxyAddress = proxy == "null" ? null : proxy;
            }

            if (form["MessagingBinding.ProjectedAddress"] is { } projected)
            {
                participant.ProjectedAddress = projected == "null" ? null : projected;
            }

            if (form["LastReadMessageIndex"] is { } lastRead)
            {
                participant.LastReadMessageIndex = long.Parse(lastRead, CultureInfo.InvariantCulture);
            }

            participant.LastReadTimestamp = form["LastReadTimestamp"] ?? participant.LastReadTimestamp;
            participant.DateUpdated = form["DateUpdated"] is { } updated ? ParseDate(updated) : Now;
            return EmulatorResponse.Json(200, ParticipantJson(conversation, participant, basePath));
        }
    }

    private EmulatorResponse ListParticipants(ChatService service, string basePath, string id, FormData query, string path)
    {
        var (page, size) = Paging(query, Schemas.ConversationsMaxPageSize);
        lock (gate)
        {
            var conversation = FindConversation(service, id, path);
            var listPath = $"{basePath}/{conversation.Sid}/Participants";
            return EmulatorResponse.Json(200, PageJson("participants", listPath, [], conversation.Participants.ToList(), page, size, (w, p) => WriteParticipant(w, conversation, p, basePath)));
        }
    }

    // GET /v1/ParticipantConversations?Identity=|Address=: every conversation a participant (chat identity or phone
    // address) is in, with the participant's binding and the conversation's state.
    private EmulatorResponse ParticipantConversations(ChatService service, FormData query)
    {
        var (page, size) = Paging(query, Schemas.ParticipantConversationsMaxPageSize);
        var identity = query["Identity"];
        var address = query["Address"];
        if (identity is null && address is null)
        {
            throw new EmulatorError(400, 50402, "Either Identity or Address is required");
        }

        var filters = new List<KeyValuePair<string, string>>();
        if (identity is not null)
        {
            filters.Add(new("Identity", identity));
        }

        if (address is not null)
        {
            filters.Add(new("Address", address));
        }

        var basePath = service.Sid == DefaultServiceSid ? "/v1/ParticipantConversations" : $"/v1/Services/{service.Sid}/ParticipantConversations";
        var conversationsUrl = BaseUrl + (service.Sid == DefaultServiceSid ? "/v1/Conversations" : $"/v1/Services/{service.Sid}/Conversations");
        lock (gate)
        {
            var items = service.Conversations
                .SelectMany(c => c.Participants.Select(p => (Conversation: c, Participant: p)))
                .Where(x => (identity is null || string.Equals(x.Participant.Identity, identity, StringComparison.Ordinal))
                    && (address is null || string.Equals(x.Participant.Address, address, StringComparison.Ordinal)))
                .ToList();
            return EmulatorResponse.Json(200, PageJson("conversations", basePath, filters, items, page, size, (w, x) =>
            {
                w.WriteStartObject();
                w.WriteString("account_sid", AccountSid);
                w.WriteString("chat_service_sid", service.Sid);
                w.WriteString("participant_sid", x.Participant.Sid);

                // Participants are not Conversation Users in the emulator.
                w.WriteNull("participant_user_sid");
                w.StringOrNull("participant_identity", x.Participant.Identity);
                if (x.Participant.Address is null)
                {
                    w.WriteNull("participant_messaging_binding");
                }
                else
                {
                    w.WriteStartObject("participant_messaging_binding");
                    w.WriteString("type", x.Participant.BindingType ?? "sms");
                    w.WriteString("address", x.Participant.Address);
                    w.StringOrNull("proxy_address", x.Participant.ProxyAddress);
                    w.WriteEndObject();
                }

                w.WriteString("conversation_sid", x.Conversation.Sid);
                w.StringOrNull("conversation_unique_name", x.Conversation.UniqueName);
                w.StringOrNull("conversation_friendly_name", x.Conversation.FriendlyName);
                w.WriteString("conversation_attributes", x.Conversation.Attributes);
                w.WriteString("conversation_date_created", Json.Iso(x.Conversation.DateCreated));
                w.WriteString("conversation_date_updated", Json.Iso(x.Conversation.DateUpdated));

                // Conversations created over REST have no creating identity.
                w.WriteNull("conversation_created_by");
                w.WriteString("conversation_state", x.Conversation.State);
                WriteTimers(w, "conversation_timers", x.Conversation);
                w.WriteStartObject("links");
                w.WriteString("participant", $"{conversationsUrl}/{x.Conversation.Sid}/Participants/{x.Participant.Sid}");
                w.WriteString("conversation", $"{conversationsUrl}/{x.Conversation.Sid}");
                w.WriteEndObject();
                w.WriteEndObject();
            }));
        }
    }

    private byte[] ParticipantJson(ConversationRecord conversation, ParticipantRecord participant, string basePath) =>
        Json.Write(w => WriteParticipant(w, conversation, participant, basePath));

    private void WriteParticipant(Utf8JsonWriter w, ConversationRecord c, ParticipantRecord p, string basePath)
    {
        w.WriteStartObject();
        w.WriteString("account_sid", AccountSid);
        WriteServiceSid(w, c, basePath);
        w.WriteString("conversation_sid", c.Sid);
        w.WriteString("sid", p.Sid);
        w.StringOrNull("identity", p.Identity);
        w.WriteString("attributes", p.Attributes);
        if (p.Address is null && p.ProjectedAddress is null)
        {
            w.WriteNull("messaging_binding");
        }
        else
        {
            w.WriteStartObject("messaging_binding");
            w.WriteString("type", p.BindingType ?? "sms");
            if (p.Address is not null)
            {
                w.WriteString("address", p.Address);
            }

            if (p.ProxyAddress is not null)
            {
                w.WriteString("proxy_address", p.ProxyAddress);
            }

            if (p.ProjectedAddress is not null)
            {
                w.WriteString("projected_address", p.ProjectedAddress);
            }

            w.WriteEndObject();
        }

        w.StringOrNull("role_sid", p.RoleSid);
        w.WriteString("date_created", Json.Iso(p.DateCreated));
        w.WriteString("date_updated", Json.Iso(p.DateUpdated));
        w.WriteString("url", $"{BaseUrl}{basePath}/{c.Sid}/Participants/{p.Sid}");
        if (p.LastReadMessageIndex is { } index)
        {
            w.WriteNumber("last_read_message_index", index);
        }
        else
        {
            w.WriteNull("last_read_message_index");
        }

        w.StringOrNull("last_read_timestamp", p.LastReadTimestamp);
        w.WriteEndObject();
    }

    private EmulatorResponse CreateConversationMessage(ChatService service, string basePath, string id, FormData form, string path)
    {
        Schemas.CreateConversationMessage.Validate(form);
        CheckJson(form["Attributes"], "Attributes");
        CheckJson(form["ContentVariables"], "ContentVariables");
        if (form["Body"] is null && form["MediaSid"] is null && form["ContentSid"] is null)
        {
            throw new EmulatorError(400, 50511, "A message needs a Body, a MediaSid or a ContentSid");
        }

        lock (gate)
        {
            var conversation = FindConversation(service, id, path);
            var now = Now;
            var author = form["Author"] ?? "system";
            var participant = conversation.Participants.FirstOrDefault(p =>
                string.Equals(p.Identity, author, StringComparison.Ordinal) || string.Equals(p.Address, author, StringComparison.Ordinal));
            var hasContent = form["ContentSid"] is not null;
            var message = new ConversationMessageRecord
            {
                Sid = Sids.New("IM"),
                Index = conversation.NextMessageIndex++,
                Author = author,
                Body = hasContent ? null : form["Body"],
                Attributes = form["Attributes"] ?? "{}",
                MediaSid = hasContent ? null : form["MediaSid"],
                ContentSid = form["ContentSid"],
                ContentVariables = form["ContentVariables"],
                Subject = form["Subject"],
                ParticipantSid = participant?.Sid,
                DateCreated = form["DateCreated"] is { } created ? ParseDate(created) : now,
                DateUpdated = form["DateUpdated"] is { } updated ? ParseDate(updated) : now,
            };
            conversation.Messages.Add(message);
            conversation.DateUpdated = now;
            return EmulatorResponse.Json(201, ConversationMessageJson(conversation, message, basePath));
        }
    }

    private EmulatorResponse ListConversationMessages(ChatService service, string basePath, string id, FormData query, string path)
    {
        FormSchema.ValidateQuery(query, "Order", Schemas.OrderQuery);
        var (page, size) = Paging(query, Schemas.ConversationsMaxPageSize);
        var order = query["Order"];
        var filters = order is null ? [] : new List<KeyValuePair<string, string>> { new("Order", order) };
        lock (gate)
        {
            var conversation = FindConversation(service, id, path);
            var items = order == "desc" ? conversation.Messages.OrderByDescending(m => m.Index).ToList() : conversation.Messages.OrderBy(m => m.Index).ToList();
            var listPath = $"{basePath}/{conversation.Sid}/Messages";
            return EmulatorResponse.Json(200, PageJson("messages", listPath, filters, items, page, size, (w, m) => WriteConversationMessage(w, conversation, m, basePath)));
        }
    }

    private byte[] ConversationMessageJson(ConversationRecord conversation, ConversationMessageRecord message, string basePath) =>
        Json.Write(w => WriteConversationMessage(w, conversation, message, basePath));

    private void WriteConversationMessage(Utf8JsonWriter w, ConversationRecord c, ConversationMessageRecord m, string basePath)
    {
        var url = $"{BaseUrl}{basePath}/{c.Sid}/Messages/{m.Sid}";
        w.WriteStartObject();
        w.WriteString("account_sid", AccountSid);
        WriteServiceSid(w, c, basePath);
        w.WriteString("conversation_sid", c.Sid);
        w.WriteString("sid", m.Sid);
        w.WriteNumber("index", m.Index);
        w.WriteString("author", m.Author);
        w.StringOrNull("body", m.Body);
        if (m.MediaSid is null)
        {
            w.WriteNull("media");
        }
        else
        {
            w.WriteStartArray("media");
            w.WriteStartObject();
            w.WriteString("sid", m.MediaSid);
            w.WriteString("content_type", "application/octet-stream");
            w.WriteNull("filename");
            w.WriteNumber("size", 0);
            w.WriteEndObject();
            w.WriteEndArray();
        }

        w.WriteString("attributes", m.Attributes);
        w.StringOrNull("participant_sid", m.ParticipantSid);
        w.WriteString("date_created", Json.Iso(m.DateCreated));
        w.WriteString("date_updated", Json.Iso(m.DateUpdated));
        w.WriteString("url", url);
        w.WriteNull("delivery");
        w.WriteStartObject("links");
        w.WriteString("delivery_receipts", url + "/Receipts");
        w.WriteString("channel_metadata", url + "/ChannelMetadata");
        w.WriteEndObject();
        w.StringOrNull("content_sid", m.ContentSid);
        w.WriteEndObject();
    }
}
