namespace OmniChannel.Messaging.WhatsApp.Internal;

/// <summary>Infers a media MIME type from a URL's file extension, for callers who do not pass one.</summary>
internal static class MediaTypes
{
    public static string? FromUrl(Uri url)
    {
        var path = url.AbsolutePath;
        var dot = path.LastIndexOf('.');
        if (dot < 0 || dot < path.LastIndexOf('/'))
        {
            return null;
        }

        return path[(dot + 1)..].ToUpperInvariant() switch
        {
            "JPG" or "JPEG" => "image/jpeg",
            "PNG" => "image/png",
            "WEBP" => "image/webp",
            "OGG" or "OPUS" => "audio/ogg",
            "MP3" => "audio/mpeg",
            "AMR" => "audio/amr",
            "M4A" => "audio/mp4",
            "AAC" => "audio/aac",
            "MP4" => "video/mp4",
            "3GP" => "video/3gpp",
            "PDF" => "application/pdf",
            "DOC" => "application/msword",
            "DOCX" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "XLS" => "application/vnd.ms-excel",
            "XLSX" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "PPT" => "application/vnd.ms-powerpoint",
            "PPTX" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "TXT" => "text/plain",
            _ => null,
        };
    }
}
