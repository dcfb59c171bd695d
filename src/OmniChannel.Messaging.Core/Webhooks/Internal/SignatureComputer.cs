using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace OmniChannel.Messaging.Webhooks.Internal;

/// <summary>
/// Computes Twilio's X-Twilio-Signature: base64(HMAC-SHA1(token, url + sorted key+value pairs)).
/// Repeated keys follow twilio-node and twilio-python: the values of a key are de-duplicated and sorted, and
/// <c>key+value</c> is appended once per value. Sorting is ordinal (UTF-16 code units), as JavaScript's sort is.
/// </summary>
internal static class SignatureComputer
{
    public const int SignatureLength = 28;
    public const int HashLength = 20;
    public const int BlockSize = 64;

    // A cached delegate: sorting with an IComparer instance allocates a delegate per call.
    private static readonly Comparison<KeyValuePair<string, string>> ParameterComparison = CompareParameters;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Sorts and de-duplicates the parameters into a pooled array; the caller returns it.</summary>
    public static int SortParameters(ReadOnlySpan<KeyValuePair<string, string>> parameters, out KeyValuePair<string, string>[]? rented)
    {
        if (parameters.IsEmpty)
        {
            rented = null;
            return 0;
        }

        rented = ArrayPool<KeyValuePair<string, string>>.Shared.Rent(parameters.Length);
        var span = rented.AsSpan(0, parameters.Length);
        parameters.CopyTo(span);
        span.Sort(ParameterComparison);

        // Drop exact duplicates (same key and value) in place.
        var count = 1;
        for (var i = 1; i < span.Length; i++)
        {
            if (CompareParameters(span[i], span[count - 1]) != 0)
            {
                span[count++] = span[i];
            }
        }

        return count;
    }

    public static void ReturnParameters(KeyValuePair<string, string>[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<KeyValuePair<string, string>>.Shared.Return(rented, clearArray: true);
        }
    }

    public static int MaxParameterBytes(ReadOnlySpan<KeyValuePair<string, string>> sorted)
    {
        var chars = 0L;
        foreach (var pair in sorted)
        {
            chars += (pair.Key?.Length ?? 0) + (pair.Value?.Length ?? 0);
        }

        return checked((int)(chars * 3));
    }

    public static int WriteParameters(ReadOnlySpan<KeyValuePair<string, string>> sorted, Span<byte> destination)
    {
        var written = 0;
        foreach (var pair in sorted)
        {
            written += Utf8.GetBytes(pair.Key.AsSpan(), destination[written..]);
            written += Utf8.GetBytes(pair.Value.AsSpan(), destination[written..]);
        }

        return written;
    }

    public static int MaxUrlBytes(ReadOnlySpan<char> url) => (url.Length + 4) * 3;

    public static int WriteUrl(ReadOnlySpan<char> a, ReadOnlySpan<char> b, ReadOnlySpan<char> c, Span<byte> destination)
    {
        // Pieces are encoded separately; a surrogate pair is never split because the cut points are ASCII.
        var written = Utf8.GetBytes(a, destination);
        written += Utf8.GetBytes(b, destination[written..]);
        written += Utf8.GetBytes(c, destination[written..]);
        return written;
    }

    /// <summary>
    /// Derives the HMAC-SHA1 inner and outer key blocks (RFC 2104) once per token: 64 bytes each, in one array.
    /// HMAC is computed by hand over <see cref="SHA1.HashData(ReadOnlySpan{byte}, Span{byte})"/> because the one-shot
    /// <c>HMACSHA1.HashData</c> allocates a native handle per call on Linux.
    /// </summary>
    public static byte[] DeriveKeyBlocks(string token)
    {
        var key = Utf8.GetBytes(token);
        Span<byte> block = stackalloc byte[BlockSize];
        block.Clear();
        if (key.Length > BlockSize)
        {
#pragma warning disable CA5350 // Twilio's webhook signature is defined as HMAC-SHA1; it is not our choice.
            SHA1.HashData(key, block);
#pragma warning restore CA5350
        }
        else
        {
            key.CopyTo(block);
        }

        CryptographicOperations.ZeroMemory(key);

        var blocks = new byte[2 * BlockSize];
        for (var i = 0; i < BlockSize; i++)
        {
            blocks[i] = (byte)(block[i] ^ 0x36);
            blocks[BlockSize + i] = (byte)(block[i] ^ 0x5C);
        }

        CryptographicOperations.ZeroMemory(block);
        return blocks;
    }

    /// <summary>
    /// Creates a reusable HMAC-SHA1 context for one token from its key blocks. The key is the token's 64-byte padded
    /// block (RFC 2104's K0, recovered from the inner block), which yields the same HMAC as the token itself, long
    /// tokens (hashed first) included.
    /// </summary>
    public static IncrementalHash CreateHmac(ReadOnlySpan<byte> keyBlocks)
    {
        Span<byte> block = stackalloc byte[BlockSize];
        for (var i = 0; i < BlockSize; i++)
        {
            block[i] = (byte)(keyBlocks[i] ^ 0x36);
        }

        try
        {
#pragma warning disable CA5350 // Twilio's webhook signature is defined as HMAC-SHA1; it is not our choice.
            return IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, block);
#pragma warning restore CA5350
        }
        finally
        {
            CryptographicOperations.ZeroMemory(block);
        }
    }

    /// <summary>
    /// Writes the base64 signature into 28 chars. <paramref name="blockAndData"/> holds <see cref="BlockSize"/> bytes of
    /// room followed by the data to sign; the room is overwritten with the inner key block.
    /// </summary>
    public static void Sign(ReadOnlySpan<byte> keyBlocks, Span<byte> blockAndData, Span<char> signature)
    {
        keyBlocks[..BlockSize].CopyTo(blockAndData);
        Span<byte> outer = stackalloc byte[BlockSize + HashLength];
        keyBlocks[BlockSize..].CopyTo(outer);
#pragma warning disable CA5350 // Twilio's webhook signature is defined as HMAC-SHA1; it is not our choice.
        SHA1.HashData(blockAndData, outer[BlockSize..]);
        Span<byte> hash = stackalloc byte[HashLength];
        SHA1.HashData(outer, hash);
#pragma warning restore CA5350
        CryptographicOperations.ZeroMemory(outer[..BlockSize]);
        Convert.TryToBase64Chars(hash, signature, out _);
    }

    /// <summary>Compares in time that depends only on the (public) length.</summary>
    public static bool FixedTimeEquals(ReadOnlySpan<char> expected, ReadOnlySpan<char> actual) =>
        expected.Length == actual.Length
        && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected), MemoryMarshal.AsBytes(actual));

    /// <summary>Writes the lowercase hex SHA-256 of <paramref name="body"/> into 64 chars.</summary>
    public static void BodyHash(ReadOnlySpan<byte> body, Span<char> hex)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body, hash);
        const string Digits = "0123456789abcdef";
        for (var i = 0; i < hash.Length; i++)
        {
            hex[2 * i] = Digits[hash[i] >> 4];
            hex[(2 * i) + 1] = Digits[hash[i] & 0xF];
        }
    }

    private static int CompareParameters(KeyValuePair<string, string> x, KeyValuePair<string, string> y)
    {
        var byKey = string.CompareOrdinal(x.Key ?? string.Empty, y.Key ?? string.Empty);
        return byKey != 0 ? byKey : string.CompareOrdinal(x.Value ?? string.Empty, y.Value ?? string.Empty);
    }
}
