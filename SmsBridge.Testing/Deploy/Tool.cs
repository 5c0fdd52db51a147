using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SmsBridge.Tests.Deploy;

/// <summary>Runs a real command line tool with a time limit and returns what it said.</summary>
public static class Tool
{
    public const string ServiceUser = "smsbridge";

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null,
        string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Repo.Root,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in time.");
        }

        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>The same command as the unprivileged service account (initdb, postgres and pgbouncer refuse root).</summary>
    public static Task<Result> RunAsServiceUserAsync(string fileName, IEnumerable<string> arguments,
        IDictionary<string, string>? environment = null, TimeSpan? timeout = null) =>
        RunAsync("setpriv", ["--reuid", ServiceUser, "--regid", ServiceUser, "--init-groups", "--", fileName, .. arguments],
            environment, "/", timeout);

    /// <summary>A long-running child as the service account; the caller stops it.</summary>
    public static Process StartAsServiceUser(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        foreach (var argument in (string[])["--reuid", ServiceUser, "--regid", ServiceUser, "--init-groups", "--pdeathsig", "TERM", "--", fileName,
                     .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(limit.Token);
        }

        process.Dispose();
    }

    public static async Task EnsureServiceUserAsync()
    {
        if (File.ReadLines("/etc/passwd").Any(l => l.StartsWith(ServiceUser + ":", StringComparison.Ordinal))) return;
        var result = await RunAsync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", ServiceUser]);
        Assert.True(result.ExitCode is 0 or 9, result.All);
    }

    /// <summary>A folder the service account owns (mode 0700), removed by the caller.</summary>
    public static async Task<string> ServiceUserFolderAsync(string prefix)
    {
        await EnsureServiceUserAsync();
        var folder = Directory.CreateTempSubdirectory(prefix).FullName;
        var chown = await RunAsync("chown", [$"{ServiceUser}:{ServiceUser}", folder]);
        Assert.Equal(0, chown.ExitCode);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return folder;
    }

    public static int FreePort() => FreePorts.Next();
}
