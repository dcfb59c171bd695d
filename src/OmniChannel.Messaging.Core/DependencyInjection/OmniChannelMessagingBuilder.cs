using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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

    /// <summary>
    /// Registers a channel client for this builder's account, the way every channel package does: the options delegate and
    /// HttpClient configuration are applied on every call; the first call for the account also validates the options at
    /// start and registers the client as a keyed service under the account's name (and, for the default account, as the
    /// plain service). Services registered before, a user's own client included, are kept.
    /// </summary>
    /// <typeparam name="TClient">The client's service type, for example <c>ISmsClient</c>.</typeparam>
    /// <typeparam name="TOptions">The client's options type.</typeparam>
    /// <param name="configure">The delegate that sets the options, or <see langword="null"/>.</param>
    /// <param name="configureHttpClient">The delegate that configures the account's HttpClient, or <see langword="null"/>.</param>
    /// <param name="factory">Creates the client for an account name.</param>
    /// <param name="validate">
    /// Returns what is wrong with the options of one account (each message naming the bad value), or nothing; run at
    /// start for every account that registered the client, and for no other. <see langword="null"/> checks nothing.
    /// </param>
    /// <returns><see langword="true"/> for the first registration of <typeparamref name="TClient"/> for this account; otherwise <see langword="false"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    public bool TryAddClient<TClient, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        Action<TOptions>? configure,
        Action<IHttpClientBuilder>? configureHttpClient,
        Func<IServiceProvider, string, TClient> factory,
        Func<TOptions, IEnumerable<string>>? validate = null)
        where TClient : class
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (configure is not null)
        {
            Services.Configure(Name, configure);
        }

        if (configureHttpClient is not null)
        {
            ConfigureHttpClient(configureHttpClient);
        }

        var marker = new ClientRegistration(typeof(TClient), Name);
        if (Services.Any(d => d.ServiceType == typeof(ClientRegistration) && marker.Equals(d.ImplementationInstance)))
        {
            return false;
        }

        var firstForAnyAccount = !Services.Any(d => d.ServiceType == typeof(ClientRegistration) && d.ImplementationInstance is ClientRegistration r && r.Client == typeof(TClient));
        Services.AddSingleton(marker);
        Services.AddOptions<TOptions>(Name).ValidateOnStart();
        if (validate is not null && firstForAnyAccount)
        {
            Services.AddSingleton<IValidateOptions<TOptions>>(sp => new ClientOptionsValidator<TOptions>(typeof(TClient), sp.GetServices<ClientRegistration>(), validate));
        }

        if (Name.Length == 0)
        {
            Services.TryAddSingleton(sp => factory(sp, string.Empty));
        }

        Services.TryAddKeyedSingleton(Name, (sp, key) => factory(sp, (string)key!));
        return true;
    }
}

/// <summary>Marks one channel client registered for one account.</summary>
internal sealed record ClientRegistration(Type Client, string Name);

/// <summary>Runs a channel package's option rules for the accounts that registered its client, and skips every other name.</summary>
internal sealed class ClientOptionsValidator<TOptions>(Type client, IEnumerable<ClientRegistration> registrations, Func<TOptions, IEnumerable<string>> rules) : IValidateOptions<TOptions>
    where TOptions : class
{
    private readonly HashSet<string> names = registrations.Where(r => r.Client == client).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        if (!names.Contains(name ?? Options.DefaultName))
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = rules(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
