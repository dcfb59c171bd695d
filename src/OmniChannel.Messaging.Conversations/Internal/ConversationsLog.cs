using Microsoft.Extensions.Logging;

namespace OmniChannel.Messaging.Conversations.Internal;

internal static partial class ConversationsLog
{
    [LoggerMessage(2001, LogLevel.Information, "Conversation with unique name '{UniqueName}' already existed as {ConversationSid}; using it")]
    public static partial void UniqueNameExisted(ILogger logger, string uniqueName, string conversationSid);

    [LoggerMessage(2002, LogLevel.Information, "Participant {Binding} was already in conversation {ConversationSid} as {ParticipantSid} (Twilio code {TwilioCode})")]
    public static partial void ParticipantExisted(ILogger logger, string binding, string conversationSid, string participantSid, int? twilioCode);

    [LoggerMessage(2003, LogLevel.Warning, "Participant {Binding} cannot join conversation {ConversationSid}: bound in {ConflictingConversationSid} (Twilio code {TwilioCode})")]
    public static partial void ParticipantConflict(ILogger logger, string binding, string conversationSid, string? conflictingConversationSid, int? twilioCode);

    [LoggerMessage(2004, LogLevel.Information, "Conflicting concurrent modification of conversation {Target} (Twilio 50391); retrying in {DelayMilliseconds} ms")]
    public static partial void ConflictingModification(ILogger logger, string target, long delayMilliseconds);

    [LoggerMessage(2005, LogLevel.Information, "Cached conversation {ConversationSid} for unique name '{UniqueName}' is gone (404); evicted")]
    public static partial void CachedConversationGone(ILogger logger, string uniqueName, string conversationSid);

    [LoggerMessage(2006, LogLevel.Information, "Conversation {ConversationSid} answered 404; everything cached about it is evicted")]
    public static partial void ConversationGone(ILogger logger, string conversationSid);

    [LoggerMessage(2007, LogLevel.Information, "Participant {ParticipantSid} of conversation {ConversationSid} is gone; its cache entry is evicted")]
    public static partial void ParticipantGone(ILogger logger, string conversationSid, string participantSid);

    [LoggerMessage(2008, LogLevel.Warning, "The conversation unique-name store failed to {Operation} '{Key}'; get-or-create goes on without it (create, and fetch on 409)")]
    public static partial void UniqueNameStoreFailed(ILogger logger, string operation, string key, Exception exception);
}
