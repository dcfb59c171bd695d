namespace OmniChannel.Messaging;

/// <summary>Provides the <see cref="TwilioApiClient"/> of each registered Twilio account.</summary>
/// <remarks>
/// Register accounts with <c>services.AddOmniChannelMessaging(name, …)</c>; each gets its own credentials, HttpClient,
/// retry pipeline, circuit breaker and rate limit. The clients are also registered as keyed services under their names.
/// </remarks>
public interface ITwilioClientFactory
{
    /// <summary>Gets the client of the account registered under a name.</summary>
    /// <param name="name">The account's name; <see cref="string.Empty"/> for the default account.</param>
    /// <returns>The account's client; the same instance on every call.</returns>
    /// <exception cref="InvalidOperationException">No account is registered under <paramref name="name"/>.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The account's options are invalid.</exception>
    TwilioApiClient GetClient(string name);
}
