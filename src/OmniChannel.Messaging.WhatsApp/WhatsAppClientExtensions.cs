namespace OmniChannel.Messaging.WhatsApp;

/// <summary>Provides convenience overloads of <see cref="IWhatsAppClient"/>.</summary>
public static class WhatsAppClientExtensions
{
    /// <summary>Sends a session text message; outside the window the result is <see cref="MessageSendOutcome.TemplateRequired"/>.</summary>
    /// <param name="client">The client.</param>
    /// <param name="to">The recipient as typed.</param>
    /// <param name="body">The text.</param>
    /// <param name="cancellationToken">The token to cancel the send with.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static Task<MessageSendResult> SendAsync(this IWhatsAppClient client, string to, string body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(body);
        return client.SendAsync(new WhatsAppMessage(to, body), cancellationToken);
    }

    /// <summary>Sends a session text message, or the fallback template when the window is closed.</summary>
    /// <param name="client">The client.</param>
    /// <param name="to">The recipient as typed.</param>
    /// <param name="body">The text sent inside the window.</param>
    /// <param name="fallbackTemplate">The template sent outside the window.</param>
    /// <param name="cancellationToken">The token to cancel the send with.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static Task<MessageSendResult> SendAsync(this IWhatsAppClient client, string to, string body, WhatsAppTemplate fallbackTemplate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(fallbackTemplate);
        return client.SendAsync(new WhatsAppMessage(to, body) { FallbackTemplate = fallbackTemplate }, cancellationToken);
    }

    /// <summary>Sends a template, whatever the window.</summary>
    /// <param name="client">The client.</param>
    /// <param name="to">The recipient as typed.</param>
    /// <param name="template">The template.</param>
    /// <param name="cancellationToken">The token to cancel the send with.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static Task<MessageSendResult> SendTemplateAsync(this IWhatsAppClient client, string to, WhatsAppTemplate template, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(template);
        return client.SendAsync(new WhatsAppMessage(to) { Template = template }, cancellationToken);
    }
}
