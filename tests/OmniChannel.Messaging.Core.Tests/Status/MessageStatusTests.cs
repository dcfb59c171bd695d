namespace OmniChannel.Messaging.Core.Tests.Status;

public sealed class MessageStatusTests
{
    public static TheoryData<string> Known => new()
    {
        "accepted", "scheduled", "queued", "sending", "sent", "delivered", "read",
        "undelivered", "failed", "canceled", "receiving", "received", "partially_delivered",
    };

    [Theory]
    [MemberData(nameof(Known))]
    public void FromSpan_DocumentedStatusAnyCase_IsKnownAndEqual(string value)
    {
        var lower = MessageStatus.FromSpan(value);
        var upper = MessageStatus.FromSpan(value.ToUpperInvariant());

        Assert.True(lower.IsKnown);
        Assert.Equal(lower, upper);
        Assert.Equal(value, upper.Value);
        Assert.Equal(lower.GetHashCode(), new MessageStatus(value.ToUpperInvariant()).GetHashCode());
    }

    [Fact]
    public void Constructor_UnknownValue_IsKeptWithoutThrowing()
    {
        MessageStatus status = "paused_by_carrier";

        Assert.False(status.IsKnown);
        Assert.False(status.IsEmpty);
        Assert.Equal("paused_by_carrier", status.ToString());
        Assert.NotEqual(MessageStatus.Queued, status);
    }

    [Fact]
    public void Default_IsEmptyAndUnknown()
    {
        var status = default(MessageStatus);

        Assert.True(status.IsEmpty);
        Assert.False(status.IsKnown);
        Assert.Equal(string.Empty, status.Value);
        Assert.Equal(MessageStatus.FromSpan(ReadOnlySpan<char>.Empty), status);
    }

    [Fact]
    public void IsFailure_FailureStatuses_AreTrueOthersFalse()
    {
        Assert.True(MessageStatus.Undelivered.IsFailure);
        Assert.True(MessageStatus.Failed.IsFailure);
        Assert.True(new MessageStatus("CANCELED").IsFailure);
        Assert.False(MessageStatus.Delivered.IsFailure);
        Assert.False(MessageStatus.Read.IsFailure);
        Assert.False(new MessageStatus("unknown_failure").IsFailure);
    }

    [Fact]
    public void FromSpan_KnownStatus_AllocatesNothing()
    {
        _ = MessageStatus.FromSpan("Delivered");
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _ = MessageStatus.FromSpan("Delivered".AsSpan());
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Constructor_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new MessageStatus(null!));
    }
}
