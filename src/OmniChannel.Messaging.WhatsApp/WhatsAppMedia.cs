namespace OmniChannel.Messaging.WhatsApp;

/// <summary>Represents a media attachment of a WhatsApp session message: its public https URL and, when the caller knows them, its type and size.</summary>
/// <remarks>
/// The client does not download or probe the URL. It checks the content type (given, or inferred from the URL's file
/// extension) against <see cref="WhatsAppOptions.MediaSizeLimits"/>, and the size against the type's limit when
/// <see cref="SizeBytes"/> is given.
/// </remarks>
public sealed class WhatsAppMedia
{
    /// <summary>Initializes a new instance of the <see cref="WhatsAppMedia"/> class.</summary>
    /// <param name="url">The public https URL Twilio fetches the media from.</param>
    /// <param name="contentType">The MIME type, for example <c>image/jpeg</c>; <see langword="null"/> to infer it from the URL's extension.</param>
    /// <param name="sizeBytes">The size in bytes, when known; <see langword="null"/> skips the size check.</param>
    /// <exception cref="ArgumentNullException"><paramref name="url"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sizeBytes"/> is negative.</exception>
    public WhatsAppMedia(Uri url, string? contentType = null, long? sizeBytes = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (sizeBytes is { } size)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(size, nameof(sizeBytes));
        }

        Url = url;
        ContentType = contentType;
        SizeBytes = sizeBytes;
    }

    /// <summary>Gets the media URL.</summary>
    public Uri Url { get; }

    /// <summary>Gets the MIME type given by the caller, if any.</summary>
    public string? ContentType { get; }

    /// <summary>Gets the size in bytes given by the caller, if any.</summary>
    public long? SizeBytes { get; }
}
