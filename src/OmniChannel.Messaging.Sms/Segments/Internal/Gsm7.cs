namespace OmniChannel.Messaging.Sms.Segments.Internal;

/// <summary>The GSM 03.38 default alphabet and extension table, and the look-alike replacements of smart encoding.</summary>
internal static class Gsm7
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Extension = "^{}\\[~]|€\f";

    // 0 = not GSM-7, 1 = basic (1 septet), 2 = extension (2 septets), for the Latin-1 range; others are looked up.
    private static readonly byte[] Latin1 = BuildLatin1();

    /// <summary>Gets the septets a character takes in GSM-7: 1, 2 (extension table), or 0 when it is not in GSM-7.</summary>
    public static int Septets(char c)
    {
        if (c < 0x100)
        {
            return Latin1[c];
        }

        return c switch
        {
            'Δ' or 'Φ' or 'Γ' or 'Λ' or 'Ω' or 'Π' or 'Ψ' or 'Σ' or 'Θ' or 'Ξ' => 1,
            '€' => 2,
            _ => 0,
        };
    }

    /// <summary>Gets the GSM-7 text smart encoding puts in place of a look-alike character, or <see langword="null"/>.</summary>
    public static string? Replacement(char c) => c switch
    {
        '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u2032' or '\u2035' or '\u02BC' or '\u2039' or '\u203A' => "'",
        '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u2033' or '\u2036' or '\u00AB' or '\u00BB' => "\"",
        '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' => "-",
        '\u2026' => "...",
        '\u00A0' or '\u2000' or '\u2001' or '\u2002' or '\u2003' or '\u2004' or '\u2005' or '\u2006' or '\u2007' or '\u2008'
            or '\u2009' or '\u200A' or '\u202F' or '\u205F' or '\u3000' => " ",
        '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' => string.Empty,
        '\u2022' or '\u2023' or '\u2043' => "-",
        '\u02C6' => "^",
        '\u02DC' => "~",
        '\u2044' or '\u2215' => "/",
        '\u00B4' or '\u02CB' or '\u0060' => "'",
        _ => null,
    };

    private static byte[] BuildLatin1()
    {
        var table = new byte[0x100];
        foreach (var c in Basic)
        {
            if (c < 0x100)
            {
                table[c] = 1;
            }
        }

        foreach (var c in Extension)
        {
            if (c < 0x100)
            {
                table[c] = 2;
            }
        }

        return table;
    }
}
