namespace OmniChannel.Messaging.AspNetCore.Internal;

/// <summary>Marks an account (by its OmniChannel.Messaging name) whose auth token signs the webhooks received.</summary>
internal sealed record WebhookAccountRegistration(string Name);
