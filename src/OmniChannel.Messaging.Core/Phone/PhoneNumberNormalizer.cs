using System.Diagnostics.CodeAnalysis;
using OmniChannel.Messaging.Phone.Internal;

namespace OmniChannel.Messaging;

/// <summary>
/// Provides the built-in E.164 normalizer, backed by an embedded numbering plan of every country calling code and every
/// region google-libphonenumber knows (international and national prefixes, possible lengths). It accepts the number
/// only when its length is possible for its region, and allocates nothing but the result string.
/// </summary>
public sealed class PhoneNumberNormalizer : IPhoneNumberNormalizer
{
    private PhoneNumberNormalizer()
    {
    }

    /// <summary>Gets the shared instance; it is stateless and thread-safe.</summary>
    public static PhoneNumberNormalizer Default { get; } = new();

    /// <summary>Gets the ISO 3166 two-letter regions the numbering plan covers.</summary>
    public static IReadOnlyList<string> SupportedRegions => NumberingPlan.Instance.RegionCodes;

    /// <summary>Gets the country calling codes the numbering plan covers, geographic and non-geographic.</summary>
    public static IReadOnlyList<int> SupportedCallingCodes => NumberingPlan.Instance.CallingCodes;

    /// <inheritdoc/>
    public bool TryNormalize(string? input, string? defaultRegion, PhoneNumberParseOptions options, out PhoneNumber number, [NotNullWhen(false)] out PhoneNumberParseError? failure) =>
        E164Parser.TryParse(input, defaultRegion, options, out number, out failure);
}
