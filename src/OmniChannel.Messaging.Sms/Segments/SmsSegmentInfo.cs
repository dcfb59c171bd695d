namespace OmniChannel.Messaging.Sms;

/// <summary>Represents how an SMS body is encoded and split into segments (each segment is billed as one message).</summary>
public readonly record struct SmsSegmentInfo
{
    /// <summary>Gets the encoding the body needs.</summary>
    public SmsEncoding Encoding { get; init; }

    /// <summary>Gets the number of segments; 0 for an empty body.</summary>
    public int Segments { get; init; }

    /// <summary>Gets the encoded length: GSM-7 septets (extension characters count 2) or UCS-2 code units (a surrogate pair counts 2).</summary>
    public int EncodedLength { get; init; }

    /// <summary>Gets the capacity of one segment for this body: 160 or 153 (GSM-7), 70 or 67 (UCS-2).</summary>
    public int SegmentCapacity { get; init; }

    /// <summary>Gets the septets or code units still free in the last segment.</summary>
    public int RemainingInLastSegment { get; init; }

    /// <summary>Gets the number of characters (UTF-16 code units) outside GSM-7 that forced UCS-2; 0 for a GSM-7 body.</summary>
    public int NonGsmCharacterCount { get; init; }

    /// <summary>Gets the index of the first character that forced UCS-2, or -1.</summary>
    public int FirstNonGsmIndex { get; init; }
}
