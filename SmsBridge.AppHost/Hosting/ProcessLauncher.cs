using System.Collections.Concurrent;
using System.Diagnostics;

namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// Starts every child process from one long-lived thread, through <c>setpriv --pdeathsig TERM</c>, so the
/// kernel signals the children even when the AppHost is killed with -9 (the signal follows the thread
/// that forked; pool threads come and go). When the AppHost runs as root, children drop to the
/// unprivileged service user. A pid file per child lets the next start kill what a dead run left.
/// </summary>
public sealed class ProcessLauncher : IDisposable
{
    private readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> _requests = new();
    private readonly Thread _thread;
    private readonly string? _user;

    public ProcessLauncher(string serviceUser)
    {
        _user = Environment.UserName == "root" ? serviceUser : null;
        _thread = new Thread(Run) { IsBackground = true, Name = "child-process-launcher" };
        _thread.Start();
    }

    /// <summary>The account children run as, or null when they run as the current user.</summary>
    public string? ServiceUser => _user;

    public Task<Process> StartAsync(string fileName, IEnumerable<string> arguments, IDictionary<string, string?> environment,
        string workingDirectory, Action<string> onOutput)
    {
        var info = new ProcessStartInfo("setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add("--pdeathsig");
        info.ArgumentList.Add("TERM");
        if (_user is not null)
        {
            info.ArgumentList.Add("--reuid");
            info.ArgumentList.Add(_user);
            info.ArgumentList.Add("--regid");
            info.ArgumentList.Add(_user);
            info.ArgumentList.Add("--init-groups");
        }

        info.ArgumentList.Add(fileName);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) info.Environment[key] = value;

        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests.Add((info, started));
        return started.Task.ContinueWith(t =>
        {
            var process = t.Result;
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) onOutput(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) onOutput(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }, TaskScheduler.Default);
    }

    /// <summary>Runs a short command to completion (initdb, chown) and returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments,
        IDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var output = new System.Text.StringBuilder();
        var process = await StartAsync(fileName, arguments, environment ?? new Dictionary<string, string?>(), "/",
            line => { lock (output) output.AppendLine(line); });
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{fileName}' did not finish in time. Output:\n{output}");
        }

        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }

    /// <summary>Gives the service user a folder it can write (and nobody else can read).</summary>
    public async Task PrepareDirectoryAsync(string path)
    {
        Directory.CreateDirectory(path);
        if (_user is null) return;
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var (code, output) = await RunPrivilegedAsync("chown", ["-R", $"{_user}:{_user}", path]);
        if (code != 0) throw new InvalidOperationException($"chown {path} failed: {output}");
    }

    private static async Task<(int, string)> RunPrivilegedAsync(string fileName, string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, error);
    }

    private void Run()
    {
        foreach (var (info, started) in _requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}."));
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }

    public void Dispose() => _requests.CompleteAdding();
}
