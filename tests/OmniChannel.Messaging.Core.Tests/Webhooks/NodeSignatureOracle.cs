using System.Diagnostics;
using System.Text.Json.Nodes;

namespace OmniChannel.Messaging.Core.Tests.Webhooks;

/// <summary>Runs tests/oracles/twilio-signature-oracle.js (npm twilio) once for a whole corpus.</summary>
internal static class NodeSignatureOracle
{
    public const string ScriptName = "twilio-signature-oracle.js";

    public static string FindOraclesDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("OMNICHANNEL_ORACLES_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OmniChannel.Messaging.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "oracles");
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (OmniChannel.Messaging.sln) above " + AppContext.BaseDirectory + "; set OMNICHANNEL_ORACLES_DIR.");
    }

    public static async Task<JsonArray> RunAsync(JsonArray cases)
    {
        var directory = FindOraclesDirectory();
        var twilioPackage = Path.Combine(directory, "node_modules", "twilio", "package.json");
        Assert.True(File.Exists(twilioPackage), $"The Node oracle is not installed ({twilioPackage} is missing). Run `./build.sh test`, which runs `npm ci` in tests/oracles.");

        var start = new ProcessStartInfo("node", ScriptName)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new System.Text.UTF8Encoding(false),
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(cases.ToJsonString());
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var error = await stderr;
        Assert.True(process.ExitCode == 0, $"The Node oracle failed ({process.ExitCode}): {error}");
        return JsonNode.Parse(await stdout)!.AsArray();
    }
}
