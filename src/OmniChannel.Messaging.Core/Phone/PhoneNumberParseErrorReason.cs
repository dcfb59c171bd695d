namespace OmniChannel.Messaging;

/// <summary>Represents why an input is not a phone number.</summary>
public enum PhoneNumberParseErrorReason
{
    /// <summary>The input is null, empty or white space (after any channel prefix).</summary>
    Empty = 0,

    /// <summary>The input holds a character that cannot be part of a phone number, or no digit at all.</summary>
    InvalidCharacters,

    /// <summary>The input holds letters and <see cref="PhoneNumberParseOptions.AllowVanityLetters"/> was not given.</summary>
    Letters,

    /// <summary>The input ends with an extension and <see cref="PhoneNumberParseOptions.DropExtension"/> was not given.</summary>
    Extension,

    /// <summary>The number is in national format and no known default region was given.</summary>
    UnknownRegion,

    /// <summary>The number starts with + or an international prefix followed by no assigned country calling code.</summary>
    UnknownCallingCode,

    /// <summary>The national number is shorter than any number of its region (a local number without area code included).</summary>
    TooShort,

    /// <summary>The national number is longer than any number of its region, or the E.164 form exceeds 15 digits.</summary>
    TooLong,

    /// <summary>The national number's length lies between the region's lengths but is none of them.</summary>
    InvalidLength,
}
