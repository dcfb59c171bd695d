using BenchmarkDotNet.Attributes;

namespace OmniChannel.Messaging.Benchmarks;

/// <summary>E.164 normalization of typed numbers: the target is no allocation beyond the result string.</summary>
[MemoryDiagnoser]
public class PhoneNumberBenchmarks
{
    private readonly PhoneNumberNormalizer _normalizer = PhoneNumberNormalizer.Default;

    [Benchmark(Description = "Normalize national (415) 555-0100, US")]
    public PhoneNumber NormalizeNational()
    {
        _normalizer.TryNormalize("(415) 555-0100", "US", PhoneNumberParseOptions.None, out var number, out _);
        return number;
    }

    [Benchmark(Description = "Normalize national 020 7946 0000, GB (trunk 0)")]
    public PhoneNumber NormalizeNationalTrunkPrefix()
    {
        _normalizer.TryNormalize("020 7946 0000", "GB", PhoneNumberParseOptions.None, out var number, out _);
        return number;
    }

    [Benchmark(Description = "Normalize international +44 20 7946 0000")]
    public PhoneNumber NormalizeInternational()
    {
        _normalizer.TryNormalize("+44 20 7946 0000", null, PhoneNumberParseOptions.None, out var number, out _);
        return number;
    }

    [Benchmark(Description = "Normalize whatsapp:+14155238886")]
    public PhoneNumber NormalizeWhatsApp()
    {
        _normalizer.TryNormalize("whatsapp:+14155238886", null, PhoneNumberParseOptions.None, out var number, out _);
        return number;
    }

    [Benchmark(Description = "Normalize 011 44 20 7946 0000 dialled from US")]
    public PhoneNumber NormalizeInternationalPrefix()
    {
        _normalizer.TryNormalize("011 44 20 7946 0000", "US", PhoneNumberParseOptions.None, out var number, out _);
        return number;
    }
}
