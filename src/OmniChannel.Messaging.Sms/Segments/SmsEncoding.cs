namespace OmniChannel.Messaging.Sms;

/// <summary>Identifies the character encoding an SMS body is sent in.</summary>
public enum SmsEncoding
{
    /// <summary>The GSM 03.38 7-bit default alphabet (with its extension table): 160 characters in one segment, 153 per segment when split.</summary>
    Gsm7 = 0,

    /// <summary>UCS-2 (UTF-16 code units), used as soon as one character is outside GSM-7: 70 in one segment, 67 per segment when split.</summary>
    Ucs2 = 1,
}
