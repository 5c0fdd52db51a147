using System.Diagnostics;

namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// The unprivileged account PostgreSQL and Redis run as when the AppHost is root (initdb and postgres refuse root).
/// Children start through <c>setpriv</c>, which also asks the kernel to stop them if their parent dies.
/// </summary>
internal static class ServiceAccount
{
    public const string User = "smsbridge";

    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>The setpriv arguments that come before the real command.</summary>
    public static IEnumerable<string> SetprivArguments() => IsRoot
        ? ["--pdeathsig", "TERM", "--reuid", User, "--regid", User, "--init-groups", "--"]
        : ["--pdeathsig", "TERM", "--"];

    public static async Task EnsureAsync()
    {
        if (!IsRoot || File.ReadLines("/etc/passwd").Any(l => l.StartsWith(User + ":", StringComparison.Ordinal))) return;
        var (code, output) = await RunAsync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", User]);
        if (code is not (0 or 9)) throw new InvalidOperationException($"Could not create the service account '{User}': {output}");
    }

    /// <summary>Creates the folder and, as root, hands it to the service account, after checking that account can reach it.</summary>
    public static async Task PrepareDirectoryAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        if (!IsRoot) return;
        await EnsureAsync();
        await RunAsync("chown", ["-R", $"{User}:{User}", directory]);
        var (code, _) = await RunAsync("setpriv", [.. SetprivArguments(), "test", "-w", directory]);
        if (code != 0)
        {
            throw new DistributedApplicationException(
                $"The account '{User}' cannot enter {directory}: a folder above it is closed to other users (e.g. /root). " +
                "Clone the repository somewhere it can reach (e.g. /srv or /opt) or set AppHost:DataDirectory to such a folder.");
        }
    }

    /// <summary>Runs a program to completion as the service account (initdb, pg_ctl).</summary>
    public static Task<(int ExitCode, string Output)> RunAsServiceAsync(string file, IEnumerable<string> arguments) =>
        RunAsync("setpriv", [.. SetprivArguments(), file, .. arguments]);

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
