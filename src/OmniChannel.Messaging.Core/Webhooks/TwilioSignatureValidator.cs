using System.Buffers;
using System.Security.Cryptography;
using OmniChannel.Messaging.Webhooks.Internal;

namespace OmniChannel.Messaging;

/// <summary>
/// Provides validation of Twilio's <c>X-Twilio-Signature</c> webhook header, and computation of it, with no
/// ASP.NET Core dependency.
/// </summary>
/// <remarks>
/// <para>
/// The signature is base64(HMAC-SHA1(auth token, URL + each form parameter's name and value, names sorted
/// ordinally)). A key sent several times contributes <c>name+value</c> once per distinct value, values sorted,
/// as Twilio's Node and Python helpers do (twilio-csharp comma-joins them and fails).
/// </para>
/// <para>
/// The URL is used exactly as received. Because Twilio keeps the port for some products and drops it for others,
/// the URL is also tried without its port (when it has one) or with the scheme's default port (when it has none);
/// twilio-csharp never tries the port-less form of an explicit <c>:443</c> URL. A fragment (<c>#…</c>, Twilio's
/// connection overrides) is not part of the signed URL and is removed before validating.
/// </para>
/// <para>
/// When those fail, the URLs twilio-node's <c>validateRequest</c> also tries are checked: the WHATWG-normalised URL
/// (<c>new URL(url).toString()</c>: <c>'</c>, spaces and non-ASCII in the query percent-encoded, dot segments resolved,
/// scheme and host lower-cased), without and with the port, and both again with the query re-encoded by Node's legacy
/// <c>querystring</c>. A form that differs from the received URL only in the host's letter case is skipped, so host case
/// stays significant (a signature over <c>mycompany.com</c> fails for <c>MyCompany.com</c>). A valid request on the
/// received URL never pays for these.
/// </para>
/// <para>
/// Several auth tokens can be given for rotation; any of them validates and the result tells which one matched.
/// Comparisons are constant-time; a missing or empty signature is a failed result, never an exception.
/// Validation allocates nothing once warm: each instance keeps one HMAC context per thread and token, created on
/// first use, so create a validator once per set of tokens and reuse it (it is thread-safe).
/// </para>
/// </remarks>
#pragma warning disable CA1001 // The ThreadLocal's per-thread HMAC contexts are SafeHandle-backed and finalized with the validator; no IDisposable on a value-like public type.
public sealed class TwilioSignatureValidator
#pragma warning restore CA1001
{
    private const string BodyHashParameter = "bodySHA256";
    private const int StackLimit = 2048;

    private readonly byte[][] keys;

    // One reusable HMAC context per thread and token: a one-shot hash pays OpenSSL's context set-up and tear-down per
    // call, twice per HMAC. Only the keyed context is kept between calls; every signature is computed in full.
    private readonly ThreadLocal<IncrementalHash?[]> macs;

    /// <summary>Initializes a new instance of the <see cref="TwilioSignatureValidator"/> class with one auth token.</summary>
    /// <param name="authToken">The account's primary auth token.</param>
    /// <exception cref="ArgumentException"><paramref name="authToken"/> is <see langword="null"/>, empty or white space.</exception>
    public TwilioSignatureValidator(string authToken)
        : this([authToken])
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="TwilioSignatureValidator"/> class with several auth tokens, for rotation:
    /// put the current primary token first and keep the previous one until Twilio has stopped using it.
    /// </summary>
    /// <param name="authTokens">The auth tokens to accept, at least one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="authTokens"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The list is empty or holds an empty or white-space token.</exception>
    public TwilioSignatureValidator(IEnumerable<string> authTokens)
    {
        ArgumentNullException.ThrowIfNull(authTokens);
        var list = new List<byte[]>();
        foreach (var token in authTokens)
        {
            if (string.IsNullOrWhiteSpace(token))
            {
                throw new ArgumentException($"Auth token at position {list.Count} is null, empty or white space.", nameof(authTokens));
            }

            list.Add(SignatureComputer.DeriveKeyBlocks(token));
        }

        if (list.Count == 0)
        {
            throw new ArgumentException("At least one auth token is required.", nameof(authTokens));
        }

        keys = [.. list];
        macs = new ThreadLocal<IncrementalHash?[]>(() => new IncrementalHash?[keys.Length]);
    }

    /// <summary>Gets the number of auth tokens this validator accepts.</summary>
    public int TokenCount => keys.Length;

    /// <summary>Computes the <c>X-Twilio-Signature</c> Twilio would send for a request.</summary>
    /// <param name="authToken">The auth token that signs.</param>
    /// <param name="url">The full URL, exactly as it will be requested (no fragment).</param>
    /// <param name="parameters">The form parameters; a repeated key appears once per value. Empty for GET and JSON requests.</param>
    /// <returns>The base64 signature, 28 characters.</returns>
    /// <exception cref="ArgumentException"><paramref name="authToken"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="url"/> is <see langword="null"/>.</exception>
    public static string ComputeSignature(string authToken, string url, ReadOnlySpan<KeyValuePair<string, string>> parameters)
    {
        ArgumentException.ThrowIfNullOrEmpty(authToken);
        ArgumentNullException.ThrowIfNull(url);
        var keyBlocks = SignatureComputer.DeriveKeyBlocks(authToken);
        var count = SignatureComputer.SortParameters(parameters, out var rented);
        try
        {
            var sorted = rented.AsSpan(0, count);
            const int Room = SignatureComputer.BlockSize;
            var buffer = new byte[Room + SignatureComputer.MaxUrlBytes(url) + SignatureComputer.MaxParameterBytes(sorted)];
            var length = SignatureComputer.WriteUrl(url, default, default, buffer.AsSpan(Room));
            length += SignatureComputer.WriteParameters(sorted, buffer.AsSpan(Room + length));
            Span<char> signature = stackalloc char[SignatureComputer.SignatureLength];
            SignatureComputer.Sign(keyBlocks, buffer.AsSpan(0, Room + length), signature);
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, Room));
            CryptographicOperations.ZeroMemory(keyBlocks);
            return new string(signature);
        }
        finally
        {
            SignatureComputer.ReturnParameters(rented);
        }
    }

    /// <summary>Computes the <c>X-Twilio-Signature</c> Twilio would send for a request.</summary>
    /// <param name="authToken">The auth token that signs.</param>
    /// <param name="url">The full URL, exactly as it will be requested (no fragment).</param>
    /// <param name="parameters">The form parameters; a repeated key appears once per value.</param>
    /// <returns>The base64 signature, 28 characters.</returns>
    /// <exception cref="ArgumentException"><paramref name="authToken"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="url"/> or <paramref name="parameters"/> is <see langword="null"/>.</exception>
    public static string ComputeSignature(string authToken, string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return ComputeSignature(authToken, url, parameters.ToArray().AsSpan());
    }

    /// <summary>
    /// Computes the <c>X-Twilio-Signature</c> Twilio would send for a request without form parameters: a GET, or a
    /// JSON body whose hash is already in the URL's <c>bodySHA256</c> parameter.
    /// </summary>
    /// <param name="authToken">The auth token that signs.</param>
    /// <param name="url">The full URL, exactly as it will be requested (no fragment).</param>
    /// <returns>The base64 signature, 28 characters.</returns>
    /// <exception cref="ArgumentException"><paramref name="authToken"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="url"/> is <see langword="null"/>.</exception>
    public static string ComputeSignature(string authToken, string url) =>
        ComputeSignature(authToken, url, ReadOnlySpan<KeyValuePair<string, string>>.Empty);

    /// <summary>
    /// Computes the lowercase hexadecimal SHA-256 of a raw request body, the value Twilio puts in the
    /// <c>bodySHA256</c> query parameter of JSON webhooks.
    /// </summary>
    /// <param name="body">The raw body bytes.</param>
    /// <returns>64 lowercase hexadecimal characters.</returns>
    public static string ComputeBodyHash(ReadOnlySpan<byte> body)
    {
        Span<char> hex = stackalloc char[64];
        SignatureComputer.BodyHash(body, hex);
        return new string(hex);
    }

    /// <summary>Validates a form-encoded (or GET) webhook request.</summary>
    /// <param name="url">The full URL Twilio requested, query string as received (still percent-encoded).</param>
    /// <param name="parameters">Every form parameter received, a repeated key once per value; empty for GET.</param>
    /// <param name="signature">The <c>X-Twilio-Signature</c> header value, or <see langword="null"/> when absent.</param>
    /// <returns>A valid result, or the reason the request failed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="url"/> is <see langword="null"/>.</exception>
    public SignatureValidationResult Validate(string url, ReadOnlySpan<KeyValuePair<string, string>> parameters, string? signature)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (string.IsNullOrEmpty(signature))
        {
            return SignatureValidationResult.Failed(SignatureValidationFailure.MissingSignature);
        }

        if (!SignatureUrl.TryParse(StripFragment(url), out var parsed))
        {
            return SignatureValidationResult.Failed(SignatureValidationFailure.InvalidUrl);
        }

        var count = SignatureComputer.SortParameters(parameters, out var rented);
        try
        {
            return Check(parsed, rented.AsSpan(0, count), signature);
        }
        finally
        {
            SignatureComputer.ReturnParameters(rented);
        }
    }

    /// <summary>Validates a form-encoded (or GET) webhook request.</summary>
    /// <param name="url">The full URL Twilio requested, query string as received (still percent-encoded).</param>
    /// <param name="parameters">Every form parameter received, a repeated key once per value.</param>
    /// <param name="signature">The <c>X-Twilio-Signature</c> header value, or <see langword="null"/> when absent.</param>
    /// <returns>A valid result, or the reason the request failed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="url"/> or <paramref name="parameters"/> is <see langword="null"/>.</exception>
    public SignatureValidationResult Validate(string url, IEnumerable<KeyValuePair<string, string>> parameters, string? signature)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters is KeyValuePair<string, string>[] array)
        {
            return Validate(url, array.AsSpan(), signature);
        }

        if (parameters is List<KeyValuePair<string, string>> list)
        {
            return Validate(url, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list), signature);
        }

        return Validate(url, parameters.ToArray().AsSpan(), signature);
    }

    /// <summary>
    /// Validates a webhook with a non-form body (JSON): the URL must carry <c>bodySHA256</c>, the lowercase hex SHA-256
    /// of the raw body, and the signature covers the URL alone.
    /// </summary>
    /// <param name="url">The full URL Twilio requested, including its <c>bodySHA256</c> query parameter.</param>
    /// <param name="body">The raw body bytes, exactly as received.</param>
    /// <param name="signature">The <c>X-Twilio-Signature</c> header value, or <see langword="null"/> when absent.</param>
    /// <returns>A valid result, or the reason the request failed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="url"/> is <see langword="null"/>.</exception>
    public SignatureValidationResult ValidateWithBody(string url, ReadOnlySpan<byte> body, string? signature)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (string.IsNullOrEmpty(signature))
        {
            return SignatureValidationResult.Failed(SignatureValidationFailure.MissingSignature);
        }

        var trimmed = StripFragment(url);
        if (!SignatureUrl.TryParse(trimmed, out var parsed))
        {
            return SignatureValidationResult.Failed(SignatureValidationFailure.InvalidUrl);
        }

        Span<char> given = stackalloc char[64];
        var givenLength = QueryParameter.TryGet(trimmed, BodyHashParameter, given);
        if (givenLength < 0)
        {
            return SignatureValidationResult.Failed(SignatureValidationFailure.BodyHashMissing);
        }

        var result = Check(parsed, default, signature);
        if (!result.IsValid)
        {
            return result;
        }

        Span<char> expected = stackalloc char[64];
        SignatureComputer.BodyHash(body, expected);
        return givenLength == expected.Length && SignatureComputer.FixedTimeEquals(expected, given)
            ? result
            : SignatureValidationResult.Failed(SignatureValidationFailure.BodyHashMismatch);
    }

    private static ReadOnlySpan<char> StripFragment(string url)
    {
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? url : url.AsSpan(0, hash);
    }

    private SignatureValidationResult Check(SignatureUrl url, ReadOnlySpan<KeyValuePair<string, string>> sorted, string signature)
    {
        // Layout: [key block room][URL variant, moved next to the parameters][parameters].
        const int Room = SignatureComputer.BlockSize;
        var urlBytes = Room + SignatureComputer.MaxUrlBytes(url.Url);
        var size = urlBytes + SignatureComputer.MaxParameterBytes(sorted);
        byte[]? rented = null;
        var buffer = size <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(size));
        try
        {
            var parameterBytes = SignatureComputer.WriteParameters(sorted, buffer[urlBytes..]);
            Span<char> expected = stackalloc char[SignatureComputer.SignatureLength];

            // The URL as received, then the other port form: without the port, or with the scheme's default port.
            for (var variant = 0; variant < 2; variant++)
            {
                var room = buffer[Room..];
                var length = variant == 0
                    ? SignatureComputer.WriteUrl(url.Url, default, default, room)
                    : url.HasPort
                        ? SignatureComputer.WriteUrl(url.BeforePort, url.Rest, default, room)
                        : SignatureComputer.WriteUrl(url.BeforePort, url.DefaultPort, url.Rest, room);

                // The variant's URL bytes go right before the parameters so the signed data is contiguous.
                var data = MoveBeforeParameters(buffer, length, urlBytes, parameterBytes)[Room..];
                if (TryMatch(data, signature, expected, out var token))
                {
                    return SignatureValidationResult.Valid(token);
                }
            }

            return CheckNodeForms(url, sorted, signature);
        }
        finally
        {
            // The room before the URL held the token-derived inner key block.
            CryptographicOperations.ZeroMemory(buffer[..urlBytes]);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // twilio-node's lenient candidates, tried only after the URL as received failed: the WHATWG-normalised URL without
    // and with its port, and both with the legacy-querystring query. A candidate equal to a received form up to the
    // host's case is skipped, so a host-case difference alone never validates (reference negative vector). Above
    // NodeUrlForms' caps (URL length, query pieces) none is tried: a forged request must not buy large buffers or
    // quadratic work. Buffers are sized from the normalised URL's real length, not from worst cases of worst cases.
    private SignatureValidationResult CheckNodeForms(SignatureUrl url, ReadOnlySpan<KeyValuePair<string, string>> sorted, string signature)
    {
        if (!NodeUrlForms.IsWithinLimits(url.Url))
        {
            return SignatureValidationResult.Failed(SignatureValidationFailure.SignatureMismatch);
        }

        var chars = ArrayPool<char>.Shared.Rent(NodeUrlForms.MaxNormalizedLength(url.Url));
        char[]? work = null;
        byte[]? bytes = null;
        try
        {
            if (!NodeUrlForms.TryNormalize(url.Url, chars, out var normalized))
            {
                return SignatureValidationResult.Failed(SignatureValidationFailure.SignatureMismatch);
            }

            var text = chars.AsSpan(0, normalized.Length);

            // Node leaves a URL without a query, or with an empty one, as it is.
            var query = normalized.QueryStart >= 0 ? text[normalized.QueryStart..] : default;
            var legacyMax = query.IsEmpty ? 0 : NodeUrlForms.MaxLegacyQueryLength(query.Length);

            // Layout of work: [legacy query][candidate]; a candidate is host part + ":port" + path + query.
            var candidateMax = normalized.Length + legacyMax + 6;
            work = ArrayPool<char>.Shared.Rent(legacyMax + candidateMax);
            var parameterOffset = candidateMax;
            bytes = ArrayPool<byte>.Shared.Rent(candidateMax + SignatureComputer.MaxParameterBytes(sorted));

            var legacyQuery = ReadOnlySpan<char>.Empty;
            var hasLegacy = false;
            if (!query.IsEmpty)
            {
                var legacyLength = NodeUrlForms.WriteLegacyQuery(query, work.AsSpan(0, legacyMax));
                legacyQuery = work.AsSpan(0, legacyLength);
                hasLegacy = !legacyQuery.SequenceEqual(query);
            }

            var parameterBytes = SignatureComputer.WriteParameters(sorted, bytes.AsSpan(parameterOffset));
            var candidate = work.AsSpan(legacyMax, candidateMax);
            Span<char> port = stackalloc char[6];
            var explicitPort = normalized.Port >= 0 ? normalized.Port : normalized.IsHttps ? 443 : 80;
            explicitPort.TryFormat(port[1..], out var portDigits, default, System.Globalization.CultureInfo.InvariantCulture);
            port[0] = ':';
            Span<char> expected = stackalloc char[SignatureComputer.SignatureLength];
            for (var form = 0; form < 4; form++)
            {
                var legacy = form >= 2;
                if (legacy && !hasLegacy)
                {
                    break;
                }

                var length = WriteCandidate(text, normalized, (form & 1) == 1 ? port[..(portDigits + 1)] : default, legacy, legacyQuery, candidate);
                var written = candidate[..length];
                if (SameUpToHostCase(written, url, normalized.HostStart))
                {
                    continue;
                }

                var start = parameterOffset - length;
                var urlByteCount = System.Text.Encoding.UTF8.GetBytes(written, bytes.AsSpan(start, length));
                if (TryMatch(bytes.AsSpan(start, urlByteCount + parameterBytes), signature, expected, out var token))
                {
                    return SignatureValidationResult.Valid(token);
                }
            }

            return SignatureValidationResult.Failed(SignatureValidationFailure.SignatureMismatch);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            if (work is not null)
            {
                ArrayPool<char>.Shared.Return(work);
            }

            if (bytes is not null)
            {
                ArrayPool<byte>.Shared.Return(bytes);
            }
        }
    }

    // Signs data with each token in turn; a match names the token.
    private bool TryMatch(ReadOnlySpan<byte> data, string signature, Span<char> expected, out int token)
    {
        for (token = 0; token < keys.Length; token++)
        {
            Sign(token, data, expected);
            if (SignatureComputer.FixedTimeEquals(expected, signature))
            {
                return true;
            }
        }

        token = -1;
        return false;
    }

    private static int WriteCandidate(ReadOnlySpan<char> normalized, NormalizedUrl parts, ReadOnlySpan<char> port, bool legacy, ReadOnlySpan<char> legacyQuery, Span<char> destination)
    {
        var written = 0;
        normalized[..parts.HostEnd].CopyTo(destination);
        written += parts.HostEnd;
        port.CopyTo(destination[written..]);
        written += port.Length;
        var rest = legacy ? normalized[parts.HostEnd..parts.QueryStart] : normalized[parts.HostEnd..];
        rest.CopyTo(destination[written..]);
        written += rest.Length;
        if (!legacy)
        {
            return written;
        }

        legacyQuery.CopyTo(destination[written..]);
        return written + legacyQuery.Length;
    }

    // Whether a candidate equals the received URL, or its other port form, except perhaps in the host's letter case.
    private static bool SameUpToHostCase(ReadOnlySpan<char> candidate, SignatureUrl url, int candidateHostStart)
    {
        var host = url.Url[url.HostStart..url.HostEnd];
        var other = url.HasPort ? ReadOnlySpan<char>.Empty : url.DefaultPort;
        return candidateHostStart == url.HostStart
               && candidate[..candidateHostStart].SequenceEqual(url.Url[..url.HostStart])
               && candidate.Length >= url.HostEnd
               && candidate[url.HostStart..url.HostEnd].Equals(host, StringComparison.OrdinalIgnoreCase)
               && (candidate[url.HostEnd..].SequenceEqual(url.Url[url.HostEnd..]) || EqualsJoined(candidate[url.HostEnd..], other, url.Rest));
    }

    private static bool EqualsJoined(ReadOnlySpan<char> value, ReadOnlySpan<char> first, ReadOnlySpan<char> second) =>
        value.Length == first.Length + second.Length && value.StartsWith(first) && value[first.Length..].SequenceEqual(second);

    private void Sign(int token, ReadOnlySpan<byte> data, Span<char> signature)
    {
        var contexts = macs.Value!;
        var mac = contexts[token] ??= SignatureComputer.CreateHmac(keys[token]);
        Span<byte> hash = stackalloc byte[SignatureComputer.HashLength];
        try
        {
            mac.AppendData(data);
            mac.GetHashAndReset(hash);
        }
        catch
        {
            // A context that failed half-way may hold part of a message: never reuse it.
            contexts[token] = null;
            mac.Dispose();
            throw;
        }

        Convert.TryToBase64Chars(hash, signature, out _);
    }

    private static Span<byte> MoveBeforeParameters(Span<byte> buffer, int urlLength, int parameterOffset, int parameterLength)
    {
        // The URL was written at the key-block room's end; slide it up against the parameters and keep room before it.
        const int Room = SignatureComputer.BlockSize;
        var start = parameterOffset - urlLength;
        buffer.Slice(Room, urlLength).CopyTo(buffer[start..]);
        return buffer.Slice(start - Room, Room + urlLength + parameterLength);
    }
}
