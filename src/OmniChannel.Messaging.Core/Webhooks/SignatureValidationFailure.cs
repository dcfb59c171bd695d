namespace OmniChannel.Messaging;

/// <summary>Identifies why a webhook signature check failed; it never carries a secret or the expected signature.</summary>
public enum SignatureValidationFailure
{
    /// <summary>The request is valid.</summary>
    None = 0,

    /// <summary>The <c>X-Twilio-Signature</c> header was missing or empty.</summary>
    MissingSignature = 1,

    /// <summary>The URL is not absolute (<c>scheme://host…</c>), so it cannot be the URL Twilio requested.</summary>
    InvalidUrl = 2,

    /// <summary>No auth token signs the URL and parameters (with or without the default port) to the given signature.</summary>
    SignatureMismatch = 3,

    /// <summary>A JSON-body request has no <c>bodySHA256</c> query parameter.</summary>
    BodyHashMissing = 4,

    /// <summary>The SHA-256 of the raw body differs from the <c>bodySHA256</c> query parameter.</summary>
    BodyHashMismatch = 5,
}
