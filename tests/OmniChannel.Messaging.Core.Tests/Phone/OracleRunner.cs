using System.Diagnostics;

namespace OmniChannel.Messaging.Core.Tests.Phone;

/// <summary>Runs a node oracle script from tests/oracles with a JSON document on stdin and returns its stdout.</summary>
internal static class OracleRunner
{
    public static string OraclesDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("OMNICHANNEL_ORACLES_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OmniChannel.Messaging.sln")))
            {
                return Path.Combine(directory.FullName, "tests", "oracles");
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (OmniChannel.Messaging.sln) above " + AppContext.BaseDirectory + "; set OMNICHANNEL_ORACLES_DIR.");
    }

    public static async Task<string> RunAsync(string script, string stdin, params string[] arguments)
    {
        var directory = OraclesDirectory();
        Assert.True(
            Directory.Exists(Path.Combine(directory, "node_modules")),
            $"The node oracles are not installed: {Path.Combine(directory, "node_modules")} is missing. Run `./build.sh test` (it runs `npm ci` in tests/oracles).");

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new System.Text.UTF8Encoding(false),
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(directory, script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var errorTask = process.StandardError.ReadToEndAsync();
        var outputTask = process.StandardOutput.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish within 2 minutes.");
        }

        var output = await outputTask;
        var errors = await errorTask;
        Assert.True(process.ExitCode == 0, $"node {script} exited with {process.ExitCode}: {errors}");
        return output;
    }
}
