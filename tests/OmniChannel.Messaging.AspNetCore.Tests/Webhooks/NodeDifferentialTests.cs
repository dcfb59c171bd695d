using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OmniChannel.Messaging.Core.Tests.Phone;

namespace OmniChannel.Messaging.AspNetCore.Tests.Webhooks;

/// <summary>
/// Generated requests signed by Twilio's official Node helper (tests/oracles/webhook-differential-oracle.js) must be
/// accepted end to end over real HTTP, through the mapped endpoints, the endpoint convention and the middleware;
/// each one tampered afterwards must be rejected with 403.
/// </summary>
public sealed class NodeDifferentialTests
{
    private const int CaseCount = 600;

    private static readonly JsonSerializerOptions ReadOptions = new() { PropertyNameCaseInsensitive = true };

    private static readonly JsonSerializerOptions WriteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] Alphabet =
    [
        "a", "Z", "0", " ", "+", "&", "=", "%", "%20", "'", "\"", "/", "?", "#", ",", ";", ":", "@", "~", "*", "\n", "\t",
        "é", "ß", "中", "文", "😀", "👍🏽", "\u00a0", "<", ">", "[", "]", "{", "}", "\\", "|", "^", "`", "$", "!",
    ];

    private static readonly string[] Names =
    [
        "Body", "From", "To", "MessageSid", "AccountSid", "MediaUrl0", "MessagingBinding.Address", "Attributes", "a", "A", "_x",
        "Digits", "ProfileName", "weird key", "ключ", "k[]", "K.Z", "Field-1",
    ];

    [Fact]
    public async Task NodeSignedRequests_AcceptedEndToEnd_AndEachTamperedRejected()
    {
        await using var host = await WebhookHost.StartAsync(configureApp: app =>
        {
            app.UseTwilioSignatureValidation("/guarded");
            app.MapPost("/guarded/{**rest}", () => Results.Text("guarded"));
            app.MapPost("/filtered/{**rest}", () => Results.Text("filtered")).ValidateTwilioSignature();
        });
        var random = new Random(20261123);
        var cases = Enumerable.Range(0, CaseCount).Select(i => Generate(random, i, host)).ToList();

        var oracleInput = new JsonObject
        {
            ["token"] = host.Twilio.AuthToken,
            ["cases"] = new JsonArray(cases.Select(c => (JsonNode)new JsonObject
            {
                ["url"] = c.Url,
                ["params"] = c.Json is null ? ParamsObject(c.Form) : null,
                ["body"] = c.Json,
            }).ToArray()),
        };
        var output = await OracleRunner.RunAsync("webhook-differential-oracle.js", oracleInput.ToJsonString());
        var signed = JsonSerializer.Deserialize<List<OracleResult>>(output, ReadOptions)!;
        Assert.Equal(cases.Count, signed.Count);

        var accepted = 0;
        var rejected = 0;
        var failures = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var s = signed[i];
            using (var response = await SendAsync(host, s.Url, c.Form, c.Json, s.Signature))
            {
                if (response.IsSuccessStatusCode)
                {
                    accepted++;
                }
                else
                {
                    failures.Add($"#{i} {c.Kind} {s.Url} -> {(int)response.StatusCode} (valid request)");
                }
            }

            var (url, form, json, signature, how) = Tamper(random, c, s);
            using (var response = await SendAsync(host, url, form, json, signature))
            {
                if (response.StatusCode == HttpStatusCode.Forbidden)
                {
                    rejected++;
                }
                else
                {
                    failures.Add($"#{i} {c.Kind} tampered by {how} -> {(int)response.StatusCode} (expected 403)");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{accepted}/{cases.Count} accepted, {rejected}/{cases.Count} tampered rejected:\n" + string.Join('\n', failures.Take(20)));
        Assert.Equal(CaseCount, accepted);
        Assert.Equal(CaseCount, rejected);
    }

    private static DiffCase Generate(Random random, int index, WebhookHost host)
    {
        var kind = (Target)(index % 4);
        var isJson = kind != Target.Inbound && random.Next(4) == 0;
        var path = kind switch
        {
            Target.Inbound => "twilio/messages",
            Target.Status => isJson ? "twilio/status" : "guarded/hooks/" + Segment(random),
            Target.Filtered => "filtered/" + Segment(random),
            _ => "guarded/" + Segment(random),
        };
        var query = random.Next(3) switch
        {
            0 => string.Empty,
            1 => "?tenant=" + Uri.EscapeDataString(Text(random, 6)),
            _ => "?a=1&b=" + Uri.EscapeDataString(Text(random, 4)) + "&c=",
        };
        var url = host.Url(path).OriginalString + query;
        var form = new List<KeyValuePair<string, string>>();
        var count = random.Next(0, 12);
        for (var p = 0; p < count; p++)
        {
            var name = random.Next(5) == 0 ? Text(random, 5).Replace("=", "e", StringComparison.Ordinal).Trim() : Names[random.Next(Names.Length)];
            if (name.Length == 0)
            {
                name = "n";
            }

            form.Add(new(name, Text(random, random.Next(0, 40))));
            if (random.Next(6) == 0)
            {
                form.Add(new(name, random.Next(3) == 0 ? form[^1].Value : Text(random, random.Next(1, 10))));
            }
        }

        // The mapped endpoints need their key fields; unique SIDs keep the dedupe from answering "repeat".
        if (kind is Target.Inbound or Target.Status)
        {
            form.RemoveAll(p => p.Key is "MessageSid" or "AccountSid");
            form.Add(new("MessageSid", "SM" + index.ToString("D32", CultureInfo.InvariantCulture)));
            form.Add(new("AccountSid", host.Twilio.AccountSid));
            form.Add(new("MessageStatus", "sent"));
        }

        string? json = null;
        if (isJson)
        {
            var body = new JsonObject();
            foreach (var pair in form)
            {
                body[pair.Key] = pair.Value;
            }

            body["n"] = random.Next();
            body["ok"] = random.Next(2) == 0;
            json = body.ToJsonString(WriteOptions);
        }

        return new DiffCase(kind, url, form, json);
    }

    private static (string Url, List<KeyValuePair<string, string>> Form, string? Json, string Signature, string How) Tamper(Random random, DiffCase c, OracleResult s)
    {
        var form = c.Form.ToList();
        switch (random.Next(4))
        {
            case 0 when c.Json is not null:
                return (s.Url, form, c.Json.Insert(1, " "), s.Signature, "a space in the JSON body");
            case 0 when form.Count > 0:
                var at = random.Next(form.Count);
                form[at] = new(form[at].Key, form[at].Value + "x");
                return (s.Url, form, null, s.Signature, "a changed value");
            case 1:
                var url = s.Url.Contains('?', StringComparison.Ordinal) ? s.Url + "&z=1" : s.Url + "?z=1";
                return (url, form, c.Json, s.Signature, "a query parameter added");
            case 2 when c.Json is null:
                form.Add(new("Injected", "1"));
                return (s.Url, form, null, s.Signature, "a parameter added");
            default:
                var chars = s.Signature.ToCharArray();
                var i = random.Next(chars.Length - 1);
                chars[i] = chars[i] == 'A' ? 'B' : 'A';
                return (s.Url, form, c.Json, new string(chars), "a changed signature");
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(WebhookHost host, string url, List<KeyValuePair<string, string>> form, string? json, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url))
        {
            Content = json is null ? new FormUrlEncodedContent(form) : new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("X-Twilio-Signature", signature);
        return await host.Client.SendAsync(request);
    }

    private static JsonObject ParamsObject(List<KeyValuePair<string, string>> form)
    {
        var result = new JsonObject();
        foreach (var group in form.GroupBy(p => p.Key, StringComparer.Ordinal))
        {
            var values = group.Select(p => p.Value).ToList();
            result[group.Key] = values.Count == 1 ? values[0] : new JsonArray(values.Select(v => (JsonNode)v!).ToArray());
        }

        return result;
    }

    private static string Text(Random random, int length)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            builder.Append(Alphabet[random.Next(Alphabet.Length)]);
        }

        return builder.ToString();
    }

    private static string Segment(Random random) => "p" + random.Next(1000).ToString(CultureInfo.InvariantCulture);

    private enum Target
    {
        Inbound,
        Status,
        Filtered,
        Guarded,
    }

    private sealed record DiffCase(Target Kind, string Url, List<KeyValuePair<string, string>> Form, string? Json);

    private sealed record OracleResult(string Url, string Signature);
}
