using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Core.Tests;

public sealed class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesApprovedFile()
    {
        PublicApiApprover.Verify(typeof(OmniChannel.Messaging.TwilioApiClient).Assembly);
    }
}
