using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace OmniChannel.Messaging.Conversations.Tests;

/// <summary>Process-wide settings for this test assembly.</summary>
internal static class TestEnvironment
{
    // Every emulator is a WebApplication whose default configuration watches appsettings files; dozens of them at once
    // exhaust the user's inotify instances (128 by default) on a shared Linux machine. The emulator reads no files, so
    // the host's reload-on-change is turned off through its DOTNET_ environment configuration.
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "Test assembly: the setting must precede every emulator start.")]
    internal static void Initialize() => Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
}
