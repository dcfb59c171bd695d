using System.Text;
using BenchmarkDotNet.Attributes;

namespace OmniChannel.Messaging.Benchmarks;

/// <summary>Policy hot paths: opt-out classification, status reduction, webhook signature validation.</summary>
[MemoryDiagnoser]
public class PolicyBenchmarks
{
    private const string Token = "0123456789abcdef0123456789abcdef";
    private const string FormUrl = "https://hooks.example.com/twilio/messaging/inbound?tenant=acme";

    private readonly OptOutClassifier classifier = OptOutClassifier.Default;
    private readonly TwilioSignatureValidator validator = new(Token);
    private MessageStatusEvent[] events = [];
    private KeyValuePair<string, string>[] form = [];
    private string formSignature = string.Empty;
    private byte[] jsonBody = [];
    private string jsonUrl = string.Empty;
    private string jsonSignature = string.Empty;
    private string longUrl = string.Empty;
    private string overCapUrl = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var t0 = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        events =
        [
            new(MessageStatus.Queued, t0), new(MessageStatus.Accepted, t0), new(MessageStatus.Sending, t0.AddSeconds(1)),
            new(MessageStatus.Sent, t0.AddSeconds(2)), new(MessageStatus.Sent, t0.AddSeconds(2)),
            new(MessageStatus.Undelivered, t0.AddSeconds(5), 30003), new(MessageStatus.Delivered, t0.AddSeconds(9)),
            new(MessageStatus.Read, t0.AddSeconds(20)), new("future_status", t0.AddSeconds(21)), new(MessageStatus.Delivered, t0.AddSeconds(9)),
        ];

        // A typical inbound SMS webhook: 12 parameters.
        form =
        [
            new("ToCountry", "US"), new("ToState", "CA"), new("SmsMessageSid", "SM0123456789abcdef0123456789abcdef"),
            new("NumMedia", "0"), new("ToCity", "SAN FRANCISCO"), new("FromZip", "94105"),
            new("SmsSid", "SM0123456789abcdef0123456789abcdef"), new("FromState", "CA"), new("Body", "Hi, is my order ready?"),
            new("From", "+14155550100"), new("To", "+14155550199"), new("AccountSid", "AC0123456789abcdef0123456789abcdef"),
        ];
        formSignature = TwilioSignatureValidator.ComputeSignature(Token, FormUrl, form);

        jsonBody = Encoding.UTF8.GetBytes("{\"MessageSid\":\"SM0123456789abcdef0123456789abcdef\",\"Body\":\"Hi, is my order ready?\",\"From\":\"+14155550100\"}");
        jsonUrl = "https://hooks.example.com/twilio/events?bodySHA256=" + TwilioSignatureValidator.ComputeBodyHash(jsonBody);
        jsonSignature = TwilioSignatureValidator.ComputeSignature(Token, jsonUrl);

        // Forged requests on long URLs whose query Node would re-encode (a raw '): 99 pieces and about 3,800 characters,
        // within the Node-form caps; and 8,000 characters, above them.
        longUrl = FormUrl + string.Concat(Enumerable.Range(0, 98).Select(i => $"&k{i:D2}=It's+{new string('v', 28)}"));
        overCapUrl = FormUrl + "&x=It's+" + new string('v', 8000 - FormUrl.Length - 8);
    }

    [Benchmark]
    public OptOutClassification ClassifyKeyword() => classifier.Classify("Stop!");

    [Benchmark]
    public OptOutClassification ClassifyNonKeyword() => classifier.Classify("Hi, can you move my delivery to Friday afternoon?");

    [Benchmark]
    public MessageStatusEvent ReduceTenEvents() => MessageStatusReducer.Reduce(events);

    [Benchmark]
    public SignatureValidationResult ValidateFormTwelveParameters() => validator.Validate(FormUrl, form, formSignature);

    [Benchmark]
    public SignatureValidationResult ValidateJsonBody() => validator.ValidateWithBody(jsonUrl, jsonBody, jsonSignature);

    /// <summary>A forged signature: the received port forms and then twilio-node's normalised and legacy-querystring forms all fail.</summary>
    [Benchmark]
    public SignatureValidationResult ValidateFormWrongSignature() => validator.Validate(FormUrl, form, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");

    /// <summary>A forged signature on a 3,800-character URL with 99 query pieces: every Node form is built and signed.</summary>
    [Benchmark]
    public SignatureValidationResult ValidateForgedLongUrl() => validator.Validate(longUrl, form, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");

    /// <summary>A forged signature on an 8,000-character URL: above the caps, only the received port forms are signed.</summary>
    [Benchmark]
    public SignatureValidationResult ValidateForgedOverCapUrl() => validator.Validate(overCapUrl, form, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
}
