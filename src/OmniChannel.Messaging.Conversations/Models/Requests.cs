namespace OmniChannel.Messaging.Conversations;

/// <summary>Represents the settings of a new conversation.</summary>
public sealed class ConversationOptions
{
    /// <summary>Gets or sets the human-readable name (at most 256 characters).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? FriendlyName { get; init; }

    /// <summary>Gets or sets the application-defined attributes.</summary>
    /// <value>The default value is <see langword="null"/>: Twilio stores <c>{}</c>.</value>
    public JsonAttributes? Attributes { get; init; }

    /// <summary>Gets or sets the Messaging Service SID (<c>MG…</c>) for SMS and WhatsApp delivery.</summary>
    /// <value>The default value is <see langword="null"/>: the service's default.</value>
    public string? MessagingServiceSid { get; init; }

    /// <summary>Gets or sets the initial state.</summary>
    /// <value>The default value is <see langword="null"/>: <c>active</c>.</value>
    public ConversationState? State { get; init; }

    /// <summary>Gets or sets the quiet time after which the conversation becomes inactive (at least one minute).</summary>
    /// <value>The default value is <see langword="null"/>: no timer.</value>
    public TimeSpan? InactiveAfter { get; init; }

    /// <summary>Gets or sets the quiet time after which the conversation closes (at least ten minutes).</summary>
    /// <value>The default value is <see langword="null"/>: no timer.</value>
    public TimeSpan? CloseAfter { get; init; }
}

/// <summary>Represents changes to a conversation; only the properties set are sent.</summary>
public sealed class ConversationUpdate
{
    /// <summary>Gets or sets the new human-readable name.</summary>
    /// <value>The default value is <see langword="null"/>: unchanged.</value>
    public string? FriendlyName { get; init; }

    /// <summary>Gets or sets the new unique name.</summary>
    /// <value>The default value is <see langword="null"/>: unchanged.</value>
    public string? UniqueName { get; init; }

    /// <summary>Gets or sets the new attributes (they replace the old ones whole).</summary>
    /// <value>The default value is <see langword="null"/>: unchanged.</value>
    public JsonAttributes? Attributes { get; init; }

    /// <summary>Gets or sets the new Messaging Service SID (<c>MG…</c>).</summary>
    /// <value>The default value is <see langword="null"/>: unchanged.</value>
    public string? MessagingServiceSid { get; init; }

    /// <summary>Gets or sets the new state, for example <see cref="ConversationState.Closed"/>.</summary>
    /// <value>The default value is <see langword="null"/>: unchanged.</value>
    public ConversationState? State { get; init; }

    /// <summary>Gets or sets the new inactivity timer (at least one minute).</summary>
    /// <value>The default value is <see langword="null"/>: unchanged.</value>
    public TimeSpan? InactiveAfter { get; init; }

    /// <summary>Gets or sets the new closing timer (at least ten minutes).</summary>
    /// <value>The default value is <see langword="null"/>: unchanged.</value>
    public TimeSpan? CloseAfter { get; init; }
}

/// <summary>Represents changes to a participant; only the properties set are sent.</summary>
public sealed class ParticipantUpdate
{
    /// <summary>Gets or sets the new attributes (they replace the old ones whole).</summary>
    /// <value>The default value is <see langword="null"/>: unchanged.</value>
    public JsonAttributes? Attributes { get; init; }

    /// <summary>Gets or sets the new role SID (<c>RL…</c>).</summary>
    /// <value>The default value is <see langword="null"/>: unchanged.</value>
    public string? RoleSid { get; init; }

    /// <summary>Gets or sets the index of the last message the participant read.</summary>
    /// <value>The default value is <see langword="null"/>: unchanged.</value>
    public int? LastReadMessageIndex { get; init; }
}

/// <summary>Represents a message to post in a conversation: a body, media, or a content template.</summary>
public sealed class ConversationMessageRequest
{
    /// <summary>Gets or sets the author: a chat identity, a phone address, or <see langword="null"/> for <c>system</c>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Author { get; init; }

    /// <summary>Gets or sets the text (at most 1,600 characters for SMS and WhatsApp delivery).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Body { get; init; }

    /// <summary>Gets or sets the SID of media uploaded to the Media Content Service (<c>ME…</c>).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? MediaSid { get; init; }

    /// <summary>Gets or sets a content template SID (<c>HX…</c>); when set, Twilio ignores <see cref="Body"/> and <see cref="MediaSid"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ContentSid { get; init; }

    /// <summary>Gets or sets the template's variables, keyed <c>"1"</c>, <c>"2"</c>, …; requires <see cref="ContentSid"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public IReadOnlyDictionary<string, string>? ContentVariables { get; init; }

    /// <summary>Gets or sets the application-defined attributes (at most 4 KB).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public JsonAttributes? Attributes { get; init; }

    /// <summary>Gets or sets the subject line, shown by channels that have one (at most 256 characters).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Subject { get; init; }
}

/// <summary>Represents the order a message list is returned in.</summary>
public enum MessageOrder
{
    /// <summary>Oldest first.</summary>
    Ascending = 0,

    /// <summary>Newest first.</summary>
    Descending = 1,
}

/// <summary>Represents the outcome of a get-or-create or ensure call: the resource, and whether this call created it.</summary>
/// <typeparam name="T">The resource type.</typeparam>
public sealed class EnsureResult<T>
    where T : class
{
    /// <summary>Initializes a new instance of the <see cref="EnsureResult{T}"/> class.</summary>
    /// <param name="value">The resource.</param>
    /// <param name="created"><see langword="true"/> when the call created it; <see langword="false"/> when it existed.</param>
    public EnsureResult(T value, bool created)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
        Created = created;
    }

    /// <summary>Gets the resource.</summary>
    public T Value { get; }

    /// <summary>Gets a value indicating whether this call created the resource (<see langword="false"/>: it already existed).</summary>
    /// <remarks>
    /// Exactly one call is credited with a creation: when concurrent <c>GetOrCreateAsync</c> calls for one unique name share
    /// one operation (single flight), only the call that started it gets <see langword="true"/> (when the operation created the
    /// conversation; if that call was canceled before the answer, the first call that joined it and got the answer instead);
    /// the calls that joined it get the same conversation with <see langword="false"/>. Likewise, of
    /// concurrent <c>EnsureParticipantAsync</c> calls for one binding, only the one whose request added the participant gets
    /// <see langword="true"/>. So "when created, send a welcome" runs once per process.
    /// </remarks>
    public bool Created { get; }
}
