using OmniChannel.Messaging.Testing.Internal;

namespace OmniChannel.Messaging.Testing.Tests.Internal;

public sealed class CallbackSignerTests
{
    [Fact]
    public void ComputeSignature_ReferenceVector_MatchesTwilio()
    {
        KeyValuePair<string, string>[] parameters =
        [
            new("CallSid", "CA1234567890ABCDE"),
            new("Caller", "+14158675309"),
            new("Digits", "1234"),
            new("From", "+14158675309"),
            new("To", "+18005551212"),
        ];

        var signature = CallbackSigner.ComputeSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", parameters);
        var reordered = CallbackSigner.ComputeSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", parameters.Reverse());

        Assert.Equal("RSOYDt4T1cUTdK1PDd93/VVr8B8=", signature);
        Assert.Equal(signature, reordered);
    }

    [Fact]
    public void ComputeSignature_RepeatedKeys_FollowsNodeRule()
    {
        KeyValuePair<string, string>[] parameters = [new("MessagingBinding.Address", "+1415xxxxxxx"), new("MessagingBinding.Address", "+1325xxxxxxx")];

        var signature = CallbackSigner.ComputeSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", parameters);

        Assert.Equal("83O6e2vORAoJHUNzJjDWN1jz+BA=", signature);
    }
}
