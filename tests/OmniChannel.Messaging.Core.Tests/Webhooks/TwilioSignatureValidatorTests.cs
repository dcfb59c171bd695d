using System.Text;

namespace OmniChannel.Messaging.Core.Tests.Webhooks;

// Vectors from the Twilio helper libraries' own tests (csharp, node, python), token 12345.
public sealed class TwilioSignatureValidatorTests
{
    private const string Token = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";

    private static readonly KeyValuePair<string, string>[] DefaultParams =
    [
        new("CallSid", "CA1234567890ABCDE"),
        new("Caller", "+14158675309"),
        new("Digits", "1234"),
        new("From", "+14158675309"),
        new("To", "+18005551212"),
    ];

    private readonly TwilioSignatureValidator validator = new(Token);

    [Theory]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    [InlineData("https://mycompany.com:443/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w=")]
    [InlineData("http://mycompany.com:80/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=")]
    [InlineData("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=")]
    [InlineData("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "CYn1h0gLBdNxDGkKJg6hYohgeD8=")]
    [InlineData("https://MyCompany.com/myapp.php?foo=1&bar=2", "g9IN/x4Cft2g517EjYvEvM/W7LU=")]
    [InlineData("https://MyCompany.com:1234/myapp.php?foo=1&bar=2", "PCqOZm8cnu/L6+u5i5fuEd+Iac4=")]
    [InlineData("http://MyCompany.com/myapp.php?foo=1&bar=2", "XY7AlKOKL6im4yWyX84gldUrtis=")]
    [InlineData("http://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "PJ08CxXr7KLPjEQCTc8LkUSMwSM=")]
    [InlineData("HTTP://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "hy/l8pca+LFms4cvRdv8uiP6NGc=")]
    [InlineData("http://Username:Password@MyCompany.com/myapp.php?foo=1&bar=2", "SkTSKyDJH9kUlhItI0slbgZ1UsI=")]
    [InlineData("https://user:pass@mycompany.com/myapp.php?foo=1&bar=2", "CukzLTc1tT5dXEDIHm/tKBanW10=")]
    [InlineData("https://user@mycompany.com/myapp.php?foo=1&bar=2", "2YRLlVAflCqxaNicjMpJcSTgzSs=")]
    [InlineData("https://user:pass@mycompany.com:443/myapp.php?foo=1&bar=2", "ZQFR1PTIZXF2MXB8ZnKCvnnA+rI=")]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2&Body=It%27s+amazing", "TfZzewPq8wqrGlMfyAud8+/IvJ0=")]
    public void ComputeSignature_ReferenceVector_MatchesTwilio(string url, string expected)
    {
        Assert.Equal(expected, TwilioSignatureValidator.ComputeSignature(Token, url, DefaultParams));
        Assert.True(validator.Validate(url, DefaultParams, expected).IsValid);
    }

    [Theory]
    [InlineData("https://mycompany.com:443/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")] // port-less signature, :443 URL (twilio-csharp fails this)
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w=")] // :443 signature, port-less URL
    [InlineData("http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=")] // :80 signature, port-less URL
    [InlineData("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")] // custom port removed
    [InlineData("https://user:pass@mycompany.com/myapp.php?foo=1&bar=2", "ZQFR1PTIZXF2MXB8ZnKCvnnA+rI=")]
    public void Validate_OtherPortForm_IsValid(string url, string signature)
    {
        var result = validator.Validate(url, DefaultParams, signature);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(0, result.MatchedTokenIndex);
    }

    [Fact]
    public void Validate_HostCaseDiffers_IsMismatch()
    {
        var result = validator.Validate("https://MyCompany.com/myapp.php?foo=1&bar=2", DefaultParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8=");

        Assert.False(result.IsValid);
        Assert.Equal(SignatureValidationFailure.SignatureMismatch, result.Failure);
        Assert.Equal(-1, result.MatchedTokenIndex);
    }

    [Fact]
    public void Validate_SpecialCharacterRequestUrlUnencoded_IsValidLikeNode()
    {
        // twilio-node "special characters": the request URL carries a raw ', Twilio signed the WHATWG form (%27).
        var result = validator.Validate("https://mycompany.com/myapp.php?foo=1&bar=2&Body=It's+amazing", DefaultParams, "TfZzewPq8wqrGlMfyAud8+/IvJ0=");

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(0, result.MatchedTokenIndex);
    }

    [Fact]
    public void Validate_SpecialCharacterWithHostCaseDifference_IsMismatch()
    {
        // The normalised form lower-cases the host as Node does, but only when it also re-encodes something: a
        // signature over the lower-case host with no other change still fails (reference negative vector).
        var result = validator.Validate("https://MyCompany.com/myapp.php?foo=1&bar=2&Body=It%27s+amazing", DefaultParams, "TfZzewPq8wqrGlMfyAud8+/IvJ0=");

        Assert.Equal(SignatureValidationFailure.SignatureMismatch, result.Failure);
    }

    [Theory]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2&Body=It's+amazing", "https://mycompany.com/myapp.php?foo=1&bar=2&Body=It's%20amazing")] // legacy querystring
    [InlineData("https://mycompany.com:443/myapp.php?foo=1&bar=2&Body=It's+amazing", "https://mycompany.com:443/myapp.php?foo=1&bar=2&Body=It%27s+amazing")] // WHATWG, with port
    [InlineData("HTTPS://mycompany.com/a/./b/../myapp.php?foo=1&bar=2", "https://mycompany.com/a/myapp.php?foo=1&bar=2")] // scheme case, dot segments
    [InlineData("https://mycompany.com?b=2&a=1&b=3&0=x", "https://mycompany.com/?0=x&b=2&b=3&a=1")] // empty path, legacy key order
    [InlineData("https://mycompany.com/caf\u00e9 x?q=\u65e5", "https://mycompany.com/caf%C3%A9%20x?q=%E6%97%A5")] // Unicode and space
    public void Validate_SignedOverNodeLenientForm_IsValid(string requestUrl, string signedUrl)
    {
        requestUrl = System.Text.RegularExpressions.Regex.Unescape(requestUrl);
        var signature = TwilioSignatureValidator.ComputeSignature(Token, signedUrl, DefaultParams);

        var result = validator.Validate(requestUrl, DefaultParams, signature);

        Assert.True(result.IsValid, result.ToString());
        Assert.False(validator.Validate(requestUrl, DefaultParams.Take(4).ToArray(), signature).IsValid);
    }

    [Theory]
    [InlineData(4096, true)]
    [InlineData(4097, false)]
    public void Validate_NodeLenientFormOfLongUrl_IsTriedUpToTheLengthCap(int urlLength, bool expectedValid)
    {
        const string Query = "?Body=It's+amazing";
        var path = "/" + new string('p', urlLength - "https://mycompany.com/".Length - Query.Length);
        var requestUrl = "https://mycompany.com" + path + Query;
        Assert.Equal(urlLength, requestUrl.Length);
        var signature = TwilioSignatureValidator.ComputeSignature(Token, "https://mycompany.com" + path + "?Body=It%27s+amazing", DefaultParams);

        var result = validator.Validate(requestUrl, DefaultParams, signature);

        Assert.Equal(expectedValid, result.IsValid);
        Assert.True(validator.Validate("https://mycompany.com" + path + "?Body=It%27s+amazing", DefaultParams, signature).IsValid);
    }

    [Theory]
    [InlineData(100, true)]
    [InlineData(101, false)]
    public void Validate_NodeLenientFormOfManyQueryPieces_IsTriedUpToThePieceCap(int pieces, bool expectedValid)
    {
        var rest = string.Concat(Enumerable.Range(1, pieces - 1).Select(i => "&k" + i + "=v"));
        var requestUrl = "https://mycompany.com/myapp.php?Body=It's+amazing" + rest;
        var signature = TwilioSignatureValidator.ComputeSignature(Token, "https://mycompany.com/myapp.php?Body=It%27s+amazing" + rest, DefaultParams);

        var result = validator.Validate(requestUrl, DefaultParams, signature);

        Assert.Equal(expectedValid, result.IsValid);
        Assert.Equal(expectedValid ? SignatureValidationFailure.None : SignatureValidationFailure.SignatureMismatch, result.Failure);
    }

    [Theory]
    [InlineData("+1325xxxxxxx", "+1415xxxxxxx")]
    [InlineData("+1415xxxxxxx", "+1325xxxxxxx")]
    public void Validate_RepeatedKeyEitherOrder_IsValid(string first, string second)
    {
        KeyValuePair<string, string>[] form = [new("MessagingBinding.Address", first), new("MessagingBinding.Address", second)];

        Assert.Equal("83O6e2vORAoJHUNzJjDWN1jz+BA=", TwilioSignatureValidator.ComputeSignature(Token, Url, form));
        Assert.True(validator.Validate(Url, form, "83O6e2vORAoJHUNzJjDWN1jz+BA=").IsValid);
    }

    [Fact]
    public void Validate_CommaJoinedRepeatedKeySignature_IsMismatch()
    {
        KeyValuePair<string, string>[] form = [new("MessagingBinding.Address", "+1325xxxxxxx"), new("MessagingBinding.Address", "+1415xxxxxxx")];

        Assert.Equal(SignatureValidationFailure.SignatureMismatch, validator.Validate(Url, form, "u84nrl0shNUxZBRbneEhXfn+Ejc=").Failure);
        KeyValuePair<string, string>[] joined = [new("MessagingBinding.Address", "+1325xxxxxxx,+1415xxxxxxx")];
        Assert.Equal("u84nrl0shNUxZBRbneEhXfn+Ejc=", TwilioSignatureValidator.ComputeSignature(Token, Url, joined));
    }

    [Fact]
    public void Validate_DuplicateValuesOfRepeatedKey_AreCountedOnce()
    {
        KeyValuePair<string, string>[] form = [new("Sid", "CA123"), new("SidAccount", "AC123"), new("Digits", "5678"), new("Digits", "1234"), new("Digits", "1234")];

        Assert.Equal("IK+Dwps556ElfBT0I3Rgjkr1wJU=", TwilioSignatureValidator.ComputeSignature(Token, Url, form));
        Assert.True(validator.Validate(Url, form, "IK+Dwps556ElfBT0I3Rgjkr1wJU=").IsValid);
        Assert.True(validator.Validate(Url, form.AsEnumerable().Reverse(), "IK+Dwps556ElfBT0I3Rgjkr1wJU=").IsValid);
    }

    [Theory]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620", "{\"property\": \"value\", \"boolean\": true}", "a9nBmqA0ju/hNViExpshrM61xv4=")]
    [InlineData("https://mycompany.com/myapp.php?bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620", "{\"property\": \"value\", \"boolean\": true}", "y77kIzt2vzLz71DgmJGsen2scGs=")]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", "{}", "Ldidvp12m26NI7eqEvxnEpkd9Hc=")] // signed with :443 added
    public void ValidateWithBody_ReferenceVector_IsValid(string url, string body, string signature)
    {
        var result = validator.ValidateWithBody(url, Encoding.UTF8.GetBytes(body), signature);

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void ComputeSignature_JsonVectors_MatchTwilio()
    {
        Assert.Equal("a9nBmqA0ju/hNViExpshrM61xv4=", TwilioSignatureValidator.ComputeSignature(
            Token, "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"));
        Assert.Equal("Ldidvp12m26NI7eqEvxnEpkd9Hc=", TwilioSignatureValidator.ComputeSignature(
            Token, "https://mycompany.com:443/myapp.php?foo=1&bar=2&bodySHA256=44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"));
    }

    [Theory]
    [InlineData("{\"property\": \"value\", \"boolean\": true}", "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620")]
    [InlineData("{}", "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")]
    [InlineData("{\"CallSid\":\"CA1234567890ABCDE\",\"Caller\":\"+12349013030\"}", "5ccde7145dfb8f56479710896586cb9d5911809d83afbe34627818790db0aec9")]
    public void ComputeBodyHash_ReferenceBody_MatchesTwilio(string body, string expected)
    {
        Assert.Equal(expected, TwilioSignatureValidator.ComputeBodyHash(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void ValidateWithBody_BodyChanged_IsBodyHashMismatch()
    {
        var result = validator.ValidateWithBody(
            "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620",
            Encoding.UTF8.GetBytes("{\"property\": \"value\", \"boolean\": false}"),
            "a9nBmqA0ju/hNViExpshrM61xv4=");

        Assert.Equal(SignatureValidationFailure.BodyHashMismatch, result.Failure);
    }

    [Fact]
    public void ValidateWithBody_NoBodyHashParameter_IsBodyHashMissing()
    {
        var signature = TwilioSignatureValidator.ComputeSignature(Token, Url);

        var result = validator.ValidateWithBody(Url, "{}"u8, signature);

        Assert.Equal(SignatureValidationFailure.BodyHashMissing, result.Failure);
    }

    [Fact]
    public void ValidateWithBody_UppercaseBodyHash_IsBodyHashMismatch()
    {
        var url = "https://mycompany.com/myapp.php?bodySHA256=44136FA355B3678A1146AD16F7E8649E94FB4FC21FE77E8310C060F61CAAFF8A";
        var signature = TwilioSignatureValidator.ComputeSignature(Token, url);

        Assert.Equal(SignatureValidationFailure.BodyHashMismatch, validator.ValidateWithBody(url, "{}"u8, signature).Failure);
    }

    [Fact]
    public void ValidateWithBody_PercentEncodedBodyHash_IsDecodedLikeUrlSearchParams()
    {
        var url = "https://mycompany.com/myapp.php?bodySHA256=%34%34136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
        var signature = TwilioSignatureValidator.ComputeSignature(Token, url);

        Assert.True(validator.ValidateWithBody(url, "{}"u8, signature).IsValid);
    }

    [Fact]
    public void ValidateWithBody_FormParametersIgnoredSignatureOverFormFails_IsMismatch()
    {
        var url = "https://mycompany.com/myapp.php?bodySHA256=44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
        var signatureWithParams = TwilioSignatureValidator.ComputeSignature(Token, url, DefaultParams);

        Assert.Equal(SignatureValidationFailure.SignatureMismatch, validator.ValidateWithBody(url, "{}"u8, signatureWithParams).Failure);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Validate_MissingSignature_IsMissingSignatureWithoutThrowing(string? signature)
    {
        Assert.Equal(SignatureValidationFailure.MissingSignature, validator.Validate(Url, DefaultParams, signature).Failure);
        Assert.Equal(SignatureValidationFailure.MissingSignature, validator.ValidateWithBody(Url, "{}"u8, signature).Failure);
    }

    [Theory]
    [InlineData("RSOYDt4T1cUTdK1PDd93/VVr8B8")]
    [InlineData("RSOYDt4T1cUTdK1PDd93/VVr8B8==")]
    [InlineData("rsoydt4t1cutdk1pdd93/vvr8b8=")]
    [InlineData(" RSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    [InlineData("not base64 at all")]
    public void Validate_AlteredSignature_IsMismatch(string signature)
    {
        Assert.Equal(SignatureValidationFailure.SignatureMismatch, validator.Validate(Url, DefaultParams, signature).Failure);
    }

    [Theory]
    [InlineData("/myapp.php?foo=1")]
    [InlineData("mycompany.com/myapp.php")]
    [InlineData("")]
    public void Validate_RelativeUrl_IsInvalidUrl(string url)
    {
        Assert.Equal(SignatureValidationFailure.InvalidUrl, validator.Validate(url, DefaultParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8=").Failure);
    }

    [Fact]
    public void Validate_ParameterAddedOrChanged_IsMismatch()
    {
        var changed = DefaultParams.Select(p => p.Key == "Digits" ? new KeyValuePair<string, string>("Digits", "9999") : p).ToArray();
        var added = DefaultParams.Append(new("Extra", "")).ToArray();

        Assert.False(validator.Validate(Url, changed, "RSOYDt4T1cUTdK1PDd93/VVr8B8=").IsValid);
        Assert.False(validator.Validate(Url, added, "RSOYDt4T1cUTdK1PDd93/VVr8B8=").IsValid);
    }

    [Fact]
    public void Validate_ConnectionOverrideFragment_IsIgnored()
    {
        var result = validator.Validate(Url + "#rc=2&rp=all", DefaultParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8=");

        Assert.True(result.IsValid);
    }

    [Fact]
    public void Validate_SecondTokenOfRotation_ReportsItsIndex()
    {
        var rotating = new TwilioSignatureValidator(["new-primary-token", Token]);

        var result = rotating.Validate(Url, DefaultParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8=");

        Assert.True(result.IsValid);
        Assert.Equal(1, result.MatchedTokenIndex);
        Assert.Equal(2, rotating.TokenCount);
    }

    [Fact]
    public void Validate_TokenNotInList_IsMismatch()
    {
        var other = new TwilioSignatureValidator(["abc", "def"]);

        Assert.Equal(SignatureValidationFailure.SignatureMismatch, other.Validate(Url, DefaultParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8=").Failure);
    }

    [Fact]
    public void Validate_ResultText_NeverContainsTokenOrSignature()
    {
        var result = validator.Validate(Url, DefaultParams, "AAAADt4T1cUTdK1PDd93/VVr8B8=");

        Assert.DoesNotContain(Token, result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("RSOYDt4T1cUTdK1PDd93", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ManyParametersOverStackBuffer_IsValid()
    {
        var form = Enumerable.Range(0, 300).Select(i => new KeyValuePair<string, string>($"Key{i:D3}", new string('é', 7))).ToArray();
        var signature = TwilioSignatureValidator.ComputeSignature(Token, Url, form);

        Assert.True(validator.Validate(Url, form, signature).IsValid);
        Assert.True(validator.Validate(Url, form.ToList(), signature).IsValid);
    }

    [Fact]
    public void Validate_Ipv6HostWithPort_TriesPortlessForm()
    {
        var signature = TwilioSignatureValidator.ComputeSignature(Token, "http://[::1]/hook", DefaultParams);

        Assert.True(validator.Validate("http://[::1]:8080/hook", DefaultParams, signature).IsValid);
    }

    [Fact]
    public void Constructor_EmptyTokenList_Throws()
    {
        Assert.Throws<ArgumentException>(() => new TwilioSignatureValidator(Array.Empty<string>()));
        Assert.Throws<ArgumentException>(() => new TwilioSignatureValidator(["ok", " "]));
        Assert.Throws<ArgumentException>(() => new TwilioSignatureValidator(""));
    }

    [Fact]
    public void Validate_FormWithTwelveParameters_AllocatesNothing()
    {
        var form = Enumerable.Range(0, 12).Select(i => new KeyValuePair<string, string>($"Param{i}", $"value {i} ✓")).ToArray();
        var signature = TwilioSignatureValidator.ComputeSignature(Token, Url, form);
        var body = "{\"a\":1}"u8.ToArray();
        var jsonUrl = Url + "&bodySHA256=" + TwilioSignatureValidator.ComputeBodyHash(body);
        var jsonSignature = TwilioSignatureValidator.ComputeSignature(Token, jsonUrl);
        Assert.True(validator.Validate(Url, form, signature).IsValid);
        Assert.True(validator.ValidateWithBody(jsonUrl, body, jsonSignature).IsValid);
        Assert.False(validator.Validate(Url, form, "AAAADt4T1cUTdK1PDd93/VVr8B8=").IsValid); // warms the pools of the Node-form path
        Assert.False(validator.Validate(Url + "&Body=It's+amazing", form, "AAAADt4T1cUTdK1PDd93/VVr8B8=").IsValid);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _ = validator.Validate(Url, form, signature);
            _ = validator.Validate(Url, form, "AAAADt4T1cUTdK1PDd93/VVr8B8=");
            _ = validator.Validate(Url + "&Body=It's+amazing", form, "AAAADt4T1cUTdK1PDd93/VVr8B8=");
            _ = validator.ValidateWithBody(jsonUrl, body, jsonSignature);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    // Expected values from `openssl dgst -sha1 -hmac TOKEN -binary | base64` over URL + sorted name/value pairs: a
    // 64-byte token (one full block, used as is) and a 99-byte token (hashed first, RFC 2104).
    [Theory]
    [InlineData(64, "k", "FhIfOdGxYN6KbBSRE+tWGD07g5w=")]
    [InlineData(9, "long-token-", "X68MPspjOMAQkgytCuwfdmcL5VY=")]
    public void Validate_BlockSizedAndLongTokens_MatchOpenSsl(int repeat, string piece, string expected)
    {
        var token = string.Concat(Enumerable.Repeat(piece, repeat));
        var longValidator = new TwilioSignatureValidator(["another-token", token]);

        var result = longValidator.Validate(Url, DefaultParams, expected);

        Assert.True(result.IsValid);
        Assert.Equal(1, result.MatchedTokenIndex);
        Assert.Equal(expected, TwilioSignatureValidator.ComputeSignature(token, Url, DefaultParams));
        Assert.False(longValidator.Validate(Url, DefaultParams.Take(4).ToArray(), expected).IsValid);
    }

    [Fact]
    public async Task Validate_ManyThreadsInterleavingValidAndTampered_EachAnsweredCorrectly()
    {
        var signature = TwilioSignatureValidator.ComputeSignature(Token, Url, DefaultParams);
        var tampered = DefaultParams.Select(p => p.Key == "Digits" ? new KeyValuePair<string, string>(p.Key, "9999") : p).ToArray();

        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            var wrong = 0;
            for (var i = 0; i < 2000; i++)
            {
                wrong += validator.Validate(Url, DefaultParams, signature).IsValid ? 0 : 1;
                wrong += validator.Validate(Url, tampered, signature).IsValid ? 1 : 0;
            }

            return wrong;
        }));

        Assert.All(await Task.WhenAll(workers), wrong => Assert.Equal(0, wrong));
    }
}
