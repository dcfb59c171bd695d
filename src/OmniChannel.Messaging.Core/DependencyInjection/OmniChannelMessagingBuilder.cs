using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Messaging.Transport.Internal;

namespace OmniChannel.Messaging;

/// <summary>
/// Represents the registration of one Twilio account, returned by <c>AddOmniChannelMessaging</c>; the channel packages
/// extend it (<c>.AddConversations()</c>, <c>.AddSms()</c>, <c>.AddWhatsApp()</c>, <c>.UsePostgreSql()</c>).
/// </summary>
public sealed class OmniChannelMessagingBuilder
{
    internal OmniChannelMessagingBuilder(IServiceCollection services, string name)
    {
        Services = services;
        Name = name;
    }

    /// <summary>Gets the service collection the account is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Gets the account's name; empty for the default account.</summary>
    public string Name { get; }

    /// <summary>Gets the name of the HttpClient the account's requests go through, for use with <see cref="IHttpClientFactory"/>.</summary>
    public string HttpClientName => TwilioAccountRegistration.HttpClientNameFor(Name);

    /// <summary>Adds configuration of the account's options.</summary>
    /// <param name="configure">The delegate that sets options.</param>
    /// <returns>This builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    public OmniChannelMessagingBuilder Configure(Action<OmniChannelMessagingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(Name, configure);
        return this;
    }

    /// <summary>
    /// Configures the account's HttpClient, for example to add a logging handler or replace the primary handler. Handlers
    /// added here run inside the retry pipeline, once per attempt.
    /// </summary>
    /// <param name="configure">The delegate that configures the HttpClient builder.</param>
    /// <returns>This builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    public OmniChannelMessagingBuilder ConfigureHttpClient(Action<IHttpClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(Services.AddHttpClient(HttpClientName));
        return this;
    }
}
