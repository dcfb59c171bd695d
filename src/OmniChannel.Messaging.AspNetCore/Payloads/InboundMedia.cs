namespace OmniChannel.Messaging.AspNetCore;

/// <summary>Represents one media item of an inbound message (<c>MediaUrl{n}</c>, <c>MediaContentType{n}</c>).</summary>
/// <param name="Url">The media URL; fetching it needs the account's credentials unless media authentication is off.</param>
/// <param name="ContentType">The media's content type, for example <c>image/jpeg</c>, or <see langword="null"/> when not sent.</param>
public sealed record InboundMedia(string Url, string? ContentType);
