using System.Diagnostics;

namespace SmsBridge.AppHost.Hosting;

/// <summary>The unprivileged system account children run as when the AppHost is started as root.</summary>
internal static class ServiceAccount
{
    public static async Task EnsureAsync(string user)
    {
        if (File.ReadLines("/etc/passwd").Any(l => l.StartsWith(user + ":", StringComparison.Ordinal))) return;
        using var process = Process.Start(new ProcessStartInfo("useradd",
            ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", user])
        {
            RedirectStandardError = true,
        })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 && process.ExitCode != 9)
        {
            throw new InvalidOperationException($"Could not create the service account '{user}': {error}");
        }
    }
}
