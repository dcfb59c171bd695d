using OmniChannel.Messaging.Testing.Shared;

namespace OmniChannel.Messaging.Testing.Tests;

public sealed class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesApprovedFile()
    {
        PublicApiApprover.Verify(System.Reflection.Assembly.Load("OmniChannel.Messaging.Testing"));
    }
}
