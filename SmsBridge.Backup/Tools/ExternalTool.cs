using System.Diagnostics;
using System.Text;

namespace SmsBridge.Backup.Tools;

/// <summary>One run of an external program (pg_dump, pg_restore, redis-cli, initdb, rclone).</summary>
public sealed record ToolInvocation(string FileName, IReadOnlyList<string> Arguments)
{
    public Dictionary<string, string?> Environment { get; init; } = [];

    /// <summary>Run as this account (through setpriv) when we are root; initdb and postgres refuse root.</summary>
    public string? RunAsUser { get; init; }

    /// <summary>Called with each line the program writes to stderr (progress, warnings).</summary>
    public Action<string>? OnErrorLine { get; init; }

    public string Describe() => Path.GetFileName(FileName);
}

public sealed record ToolResult(int ExitCode, string ErrorTail)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// Runs external programs with an argument list (never a shell), streaming stdin/stdout through callbacks so
/// dumps never sit unencrypted on disk. Every child is started through <c>setpriv --pdeathsig TERM</c> so it
/// dies with this process, and the whole tree is killed when the caller gives up.
/// </summary>
public static class ExternalTool
{
    private const int KeptErrorLines = 40;

    public static async Task<ToolResult> RunAsync(ToolInvocation invocation, Func<Stream, CancellationToken, Task>? readOutput = null,
        Func<Stream, CancellationToken, Task>? writeInput = null, CancellationToken cancellationToken = default)
    {
        using var process = new Process { StartInfo = StartInfo(invocation, writeInput is not null) };
        var errorLines = new Queue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (errorLines)
            {
                errorLines.Enqueue(e.Data);
                if (errorLines.Count > KeptErrorLines) errorLines.Dequeue();
            }

            invocation.OnErrorLine?.Invoke(e.Data);
        };

        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"Could not start {invocation.Describe()}: {ex.Message}. Is it installed (scripts/install-prerequisites.sh)?", ex);
        }

        process.BeginErrorReadLine();
        try
        {
            var tasks = new List<Task>();
            tasks.Add(readOutput is not null
                ? readOutput(process.StandardOutput.BaseStream, cancellationToken)
                : process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, cancellationToken));
            if (writeInput is not null) tasks.Add(WriteInputAsync(process, writeInput, cancellationToken));
            tasks.Add(process.WaitForExitAsync(cancellationToken));
            await WhenAllOrFirstFailure(tasks);
            await process.WaitForExitAsync(cancellationToken);
        }
        catch
        {
            Kill(process);
            throw;
        }

        lock (errorLines) return new ToolResult(process.ExitCode, string.Join('\n', errorLines));
    }

    /// <summary>Runs a program and returns its whole stdout as text (versions, listings).</summary>
    public static async Task<(ToolResult Result, string Output)> CaptureAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var output = "";
        var result = await RunAsync(invocation, async (stream, ct) =>
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            output = await reader.ReadToEndAsync(ct);
        }, cancellationToken: cancellationToken);
        return (result, output);
    }

    private static async Task WriteInputAsync(Process process, Func<Stream, CancellationToken, Task> writeInput, CancellationToken cancellationToken)
    {
        var stdin = process.StandardInput.BaseStream;
        try
        {
            await writeInput(stdin, cancellationToken);
        }
        catch (IOException) when (process.HasExited)
        {
            // The program stopped reading (it failed); its exit code and stderr tell why.
        }
        finally
        {
            try
            {
                await stdin.DisposeAsync();
            }
            catch (IOException)
            {
                // Broken pipe on close: the program has already exited.
            }
        }
    }

    /// <summary>Fails as soon as any task fails, so a broken pipe side is not waited for forever.</summary>
    private static async Task WhenAllOrFirstFailure(List<Task> tasks)
    {
        var remaining = new List<Task>(tasks);
        while (remaining.Count > 0)
        {
            var done = await Task.WhenAny(remaining);
            await done;
            remaining.Remove(done);
        }
    }

    internal static ProcessStartInfo StartInfo(ToolInvocation invocation, bool redirectInput)
    {
        var info = new ProcessStartInfo("setpriv")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        info.ArgumentList.Add("--pdeathsig");
        info.ArgumentList.Add("TERM");
        if (invocation.RunAsUser is { } user && Environment.UserName == "root")
        {
            info.ArgumentList.Add("--reuid");
            info.ArgumentList.Add(user);
            info.ArgumentList.Add("--regid");
            info.ArgumentList.Add(user);
            info.ArgumentList.Add("--init-groups");
        }

        info.ArgumentList.Add(invocation.FileName);
        foreach (var argument in invocation.Arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in invocation.Environment) info.Environment[key] = value;
        return info;
    }

    /// <summary>Sends a signal by name (INT for a graceful server stop); .NET itself only sends KILL.</summary>
    public static async Task SignalAsync(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        await kill.WaitForExitAsync();
    }

    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
