namespace OmniChannel.Messaging.Testing.Internal;

/// <summary>
/// Counts the SMS segments of a body as Twilio bills them: GSM-7 (160 septets, 153 per part, extension characters take
/// two septets and are never split) or, with any other character, UCS-2 (70 code units, 67 per part, surrogate pairs
/// never split). The emulator depends on Core only, so this mirrors the Sms package's calculator; a test keeps the two equal.
/// </summary>
internal static class SegmentCounter
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Extension = "^{}\\[~]|€\f";

    public static int Count(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return 1;
        }

        var septets = new int[body.Length];
        var total = 0;
        for (var i = 0; i < body.Length; i++)
        {
            septets[i] = Extension.Contains(body[i], StringComparison.Ordinal) ? 2 : Basic.Contains(body[i], StringComparison.Ordinal) ? 1 : 0;
            if (septets[i] == 0)
            {
                return CountUcs2(body);
            }

            total += septets[i];
        }

        return total <= 160 ? 1 : Split(septets, 153);
    }

    private static int CountUcs2(string body)
    {
        if (body.Length <= 70)
        {
            return 1;
        }

        var units = new List<int>(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var pair = char.IsHighSurrogate(body[i]) && i + 1 < body.Length && char.IsLowSurrogate(body[i + 1]);
            units.Add(pair ? 2 : 1);
            i += pair ? 1 : 0;
        }

        return Split(units, 67);
    }

    private static int Split(IEnumerable<int> sizes, int capacity)
    {
        var segments = 1;
        var used = 0;
        foreach (var size in sizes)
        {
            if (used + size > capacity)
            {
                segments++;
                used = 0;
            }

            used += size;
        }

        return segments;
    }
}
