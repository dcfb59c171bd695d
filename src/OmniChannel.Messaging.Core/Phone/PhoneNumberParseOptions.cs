namespace OmniChannel.Messaging;

/// <summary>Represents the optional leniencies of phone-number parsing; the default accepts neither letters nor extensions.</summary>
[Flags]
public enum PhoneNumberParseOptions
{
    /// <summary>Strict parsing: letters and extensions are rejected.</summary>
    None = 0,

    /// <summary>Reads letters as telephone-keypad digits (vanity numbers such as <c>1-800-FLOWERS</c>).</summary>
    AllowVanityLetters = 1,

    /// <summary>Drops a trailing extension (<c>ext. 12</c>, <c>x12</c>, <c>;ext=12</c>, <c>#12</c>) instead of rejecting the input.</summary>
    DropExtension = 2,

    /// <summary>
    /// Accepts a national number of a length the region dials only locally (no area code; libphonenumber's
    /// <c>IS_POSSIBLE_LOCAL_ONLY</c>, e.g. a 7-digit US number) and writes it as libphonenumber does: calling code and
    /// those digits. Such a number is not reachable from outside its area; by default it is rejected as too short.
    /// </summary>
    AllowLocalOnly = 4,
}
