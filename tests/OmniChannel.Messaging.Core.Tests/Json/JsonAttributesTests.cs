using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace OmniChannel.Messaging.Core.Tests.Json;

internal sealed record Tenant(string Id, int Tier);

[JsonSerializable(typeof(Tenant))]
internal sealed partial class JsonAttributesTestContext : JsonSerializerContext;

public sealed class JsonAttributesTests
{
    [Fact]
    public void Default_IsAnEmptyObject()
    {
        JsonAttributes attributes = default;

        Assert.Equal("{}", attributes.Json);
        Assert.Equal(JsonAttributes.Empty, attributes);
        Assert.Equal(JsonValueKind.Object, attributes.ToJsonElement().ValueKind);
    }

    [Fact]
    public void Parse_InvalidJson_ThrowsNamingTheProblem()
    {
        var exception = Assert.Throws<ArgumentException>(() => JsonAttributes.Parse("{tenant: acme"));

        Assert.Equal("json", exception.ParamName);
        Assert.StartsWith("Attributes must be a JSON document", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromValue_And_Deserialize_RoundTripThroughSourceGeneratedMetadata()
    {
        var attributes = JsonAttributes.FromValue(new Tenant("acme", 2), JsonAttributesTestContext.Default.Tenant);

        Assert.Equal("""{"Id":"acme","Tier":2}""", attributes.Json);
        Assert.Equal(new Tenant("acme", 2), attributes.Deserialize(JsonAttributesTestContext.Default.Tenant));
    }

    [Fact]
    public void ImplicitConversions_FromJsonNodeAndElement_KeepTheDocument()
    {
        JsonAttributes fromNode = new JsonObject { ["tenantId"] = "acme" };
        using var document = JsonDocument.Parse("""{"a":[1,2]}""");
        JsonAttributes fromElement = document.RootElement;

        Assert.Equal("""{"tenantId":"acme"}""", fromNode.ToString());
        Assert.Equal("""{"a":[1,2]}""", fromElement.Json);
        Assert.NotEqual(fromNode, fromElement);
        Assert.True(fromNode == JsonAttributes.Parse("""{"tenantId":"acme"}"""));
    }

    [Fact]
    public void FromObject_AnonymousType_SerializesThroughReflection()
    {
#pragma warning disable IL2026, IL3050 // the reflection path is the point of this test
        var attributes = JsonAttributes.FromObject(new { tenantId = "acme" });
#pragma warning restore IL2026, IL3050

        Assert.Equal("""{"tenantId":"acme"}""", attributes.Json);
    }
}

public sealed class TwilioSidTests
{
    [Theory]
    [InlineData("AC0123456789abcdef0123456789abcdef", "AC", true)]
    [InlineData("AC0123456789ABCDEF0123456789ABCDEF", "AC", true)]
    [InlineData("AC0123456789abcdef0123456789abcde", "AC", false)]
    [InlineData("SK0123456789abcdef0123456789abcdef", "AC", false)]
    [InlineData("AC0123456789abcdef0123456789abcdeg", "AC", false)]
    [InlineData(null, "AC", false)]
    public void IsValid_ChecksPrefixLengthAndHex(string? value, string prefix, bool expected)
    {
        Assert.Equal(expected, TwilioSid.IsValid(value, prefix));
    }

    [Fact]
    public void ThrowIfInvalid_NamesTheValueAndTheParameter()
    {
        const string conversationSid = "CH42";

        var exception = Assert.Throws<ArgumentException>(() => TwilioSid.ThrowIfInvalid(conversationSid, "CH"));

        Assert.Equal(nameof(conversationSid), exception.ParamName);
        Assert.Contains("'CH42' is not a valid CH SID", exception.Message, StringComparison.Ordinal);
    }
}
