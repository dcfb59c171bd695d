namespace OmniChannel.Messaging;

/// <summary>Represents one recipient's opt-in to messages on a channel, with the evidence to show for it.</summary>
public sealed class ConsentRecord
{
    /// <summary>Gets the channel consented to.</summary>
    public required MessagingChannel Channel { get; init; }

    /// <summary>Gets the normalized recipient address, for example <c>whatsapp:+447700900123</c>.</summary>
    public required string Recipient { get; init; }

    /// <summary>Gets the time consent was given.</summary>
    public required DateTimeOffset GrantedAt { get; init; }

    /// <summary>Gets where consent was collected, for example <c>checkout-form</c> or <c>inbound-keyword</c>.</summary>
    public string? Source { get; init; }

    /// <summary>Gets the text the recipient agreed to, or another proof (a form submission id).</summary>
    public string? ProofText { get; init; }

    /// <summary>Gets the time consent was withdrawn, or <see langword="null"/> while it stands.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Gets a value indicating whether consent stands (granted and not withdrawn).</summary>
    public bool IsActive => RevokedAt is null;
}
