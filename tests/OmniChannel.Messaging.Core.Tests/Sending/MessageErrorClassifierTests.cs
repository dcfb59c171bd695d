using System.Net;

namespace OmniChannel.Messaging.Core.Tests.Sending;

public sealed class MessageErrorClassifierTests
{
    [Theory]
    [InlineData(429, 20429, MessageErrorCategory.Retryable)]
    [InlineData(429, null, MessageErrorCategory.Retryable)]
    [InlineData(500, null, MessageErrorCategory.Retryable)]
    [InlineData(503, 21610, MessageErrorCategory.Retryable)]
    [InlineData(401, 20003, MessageErrorCategory.SenderConfiguration)]
    [InlineData(403, null, MessageErrorCategory.SenderConfiguration)]
    [InlineData(400, 21211, MessageErrorCategory.Recipient)]
    [InlineData(400, 21610, MessageErrorCategory.Recipient)]
    [InlineData(400, 21614, MessageErrorCategory.Recipient)]
    [InlineData(400, 21606, MessageErrorCategory.SenderConfiguration)]
    [InlineData(400, 30007, MessageErrorCategory.ContentFiltered)]
    [InlineData(400, 63016, MessageErrorCategory.TemplateRequired)]
    [InlineData(429, 63018, MessageErrorCategory.Retryable)]
    [InlineData(400, 63018, MessageErrorCategory.Retryable)]
    [InlineData(400, null, MessageErrorCategory.Other)]
    [InlineData(404, 20404, MessageErrorCategory.Other)]
    public void Classify_StatusFirstThenCode(int status, int? code, MessageErrorCategory expected)
    {
        Assert.Equal(expected, MessageErrorClassifier.Classify((HttpStatusCode)status, code));
    }

    [Theory]
    [InlineData(21211)]
    [InlineData(21610)]
    [InlineData(21614)]
    [InlineData(30007)]
    [InlineData(63016)]
    [InlineData(63018)]
    [InlineData(21606)]
    public void ClassifyStatusCallback_SameCodeAsSynchronous400_SameCategory(int code)
    {
        Assert.Equal(MessageErrorClassifier.Classify(HttpStatusCode.BadRequest, code), MessageErrorClassifier.ClassifyStatusCallback(code));
    }

    [Theory]
    [InlineData(30003, MessageErrorCategory.Recipient)]
    [InlineData(30005, MessageErrorCategory.Recipient)]
    [InlineData(30007, MessageErrorCategory.ContentFiltered)]
    [InlineData(30008, MessageErrorCategory.Other)]
    [InlineData(null, MessageErrorCategory.Other)]
    public void ClassifyStatusCallback_AsyncCodes(int? code, MessageErrorCategory expected)
    {
        Assert.Equal(expected, MessageErrorClassifier.ClassifyStatusCallback(code));
    }

    [Fact]
    public void IsOptOut_OnlyFor21610()
    {
        Assert.True(MessageErrorClassifier.IsOptOut(21610));
        Assert.False(MessageErrorClassifier.IsOptOut(21211));
        Assert.False(MessageErrorClassifier.IsOptOut(null));
    }
}
