using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace OmniChannel.Messaging.Testing.Tests;

/// <summary>Helpers shared by the emulator tests: an SDK client pointed at the emulator and a raw HTTP client.</summary>
internal static class EmulatorClient
{
    public static readonly JsonTypeInfo<JsonElement> Element = (JsonTypeInfo<JsonElement>)JsonSerializerOptions.Default.GetTypeInfo(typeof(JsonElement));

    public static ServiceProvider CreateServices(TwilioEmulator twilio, int maxAttempts = 1)
    {
        var services = new ServiceCollection();
        services.AddOmniChannelMessaging(twilio.ConfigureClient).Configure(o =>
        {
            o.Retry.MaxAttempts = maxAttempts;
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
            o.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
            o.CircuitBreaker.Enabled = false;
        });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static HttpClient Raw(TwilioEmulator twilio, string? user = null, string? password = null)
    {
        var client = new HttpClient { BaseAddress = twilio.BaseUrl };
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user ?? twilio.AccountSid}:{password ?? twilio.AuthToken}"));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        return client;
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(this HttpClient client, string path, params (string Key, string Value)[] form)
    {
        using var content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));
        using var response = await client.PostAsync(new Uri(path.TrimStart('/'), UriKind.Relative), content);
        return (response.StatusCode, await ReadAsync(response));
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path.TrimStart('/'), UriKind.Relative));
        return (response.StatusCode, await ReadAsync(response));
    }

    public static async Task<HttpStatusCode> DeleteResourceAsync(this HttpClient client, string path)
    {
        using var response = await client.DeleteAsync(new Uri(path.TrimStart('/'), UriKind.Relative));
        return response.StatusCode;
    }

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;

    public static int Code(this JsonElement element) => element.GetProperty("code").GetInt32();

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
