namespace OmniChannel.Messaging;

/// <summary>Represents the outcome of a webhook signature check: valid, or the reason it failed.</summary>
public readonly struct SignatureValidationResult : IEquatable<SignatureValidationResult>
{
    private readonly int matchedTokenIndex;

    private SignatureValidationResult(SignatureValidationFailure failure, int matchedTokenIndex)
    {
        Failure = failure;
        this.matchedTokenIndex = matchedTokenIndex + 1;
    }

    /// <summary>Gets a value indicating whether the signature (and body hash, for JSON bodies) matched.</summary>
    public bool IsValid => Failure == SignatureValidationFailure.None;

    /// <summary>Gets the reason the check failed, or <see cref="SignatureValidationFailure.None"/> when it passed.</summary>
    public SignatureValidationFailure Failure { get; }

    /// <summary>
    /// Gets the zero-based position, in the validator's token list, of the auth token that matched, or -1 when none did.
    /// A match on a token other than the first tells you a rotation is still in progress.
    /// </summary>
    public int MatchedTokenIndex => matchedTokenIndex - 1;

    /// <summary>Determines whether two results are equal.</summary>
    /// <param name="left">The first result.</param>
    /// <param name="right">The second result.</param>
    /// <returns><see langword="true"/> when both have the same failure and matched token.</returns>
    public static bool operator ==(SignatureValidationResult left, SignatureValidationResult right) => left.Equals(right);

    /// <summary>Determines whether two results differ.</summary>
    /// <param name="left">The first result.</param>
    /// <param name="right">The second result.</param>
    /// <returns><see langword="true"/> when the failure or matched token differs.</returns>
    public static bool operator !=(SignatureValidationResult left, SignatureValidationResult right) => !left.Equals(right);

    /// <summary>Determines whether this result equals another.</summary>
    /// <param name="other">The other result.</param>
    /// <returns><see langword="true"/> when both have the same failure and matched token.</returns>
    public bool Equals(SignatureValidationResult other) => Failure == other.Failure && matchedTokenIndex == other.matchedTokenIndex;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SignatureValidationResult other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Failure, matchedTokenIndex);

    /// <summary>Returns <c>Valid</c> or the failure name, with the matched token position when there is one.</summary>
    /// <returns>A short description without secrets.</returns>
    public override string ToString() => IsValid ? $"Valid (token {MatchedTokenIndex})" : Failure.ToString();

    internal static SignatureValidationResult Valid(int tokenIndex) => new(SignatureValidationFailure.None, tokenIndex);

    internal static SignatureValidationResult Failed(SignatureValidationFailure failure) => new(failure, -1);
}
