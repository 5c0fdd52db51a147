using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SmsBridge.Processes;

/// <summary>
/// Runs external programs with an argument list (never a shell), streaming stdin/stdout through callbacks where a
/// caller needs it (dumps never sit unencrypted on disk). Every child starts through <c>setpriv --pdeathsig TERM</c>
/// so it dies with this process, and the whole tree is killed when the caller gives up or the time runs out.
/// </summary>
public static class ExternalProgram
{
    // Enough for any message a test or an operator reads; a chatty program cannot fill memory.
    private const int KeptErrorLines = 1000;

    public static async Task<ProgramResult> RunAsync(ProgramInvocation invocation, Func<Stream, CancellationToken, Task>? readOutput = null,
        Func<Stream, CancellationToken, Task>? writeInput = null, CancellationToken cancellationToken = default)
    {
        using var process = new Process { StartInfo = StartInfo(invocation) };
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

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (invocation.Timeout is { } timeout) limit.CancelAfter(timeout);
        ParentThread.Start(process);
        process.BeginErrorReadLine();
        try
        {
            var tasks = new List<Task>
            {
                readOutput is not null
                    ? readOutput(process.StandardOutput.BaseStream, limit.Token)
                    : process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, limit.Token),
                WriteInputAsync(process, writeInput ?? WriteText(invocation.StandardInput), limit.Token),
                process.WaitForExitAsync(limit.Token),
            };
            await WhenAllOrFirstFailure(tasks);
            await process.WaitForExitAsync(limit.Token);
        }
        catch (Exception ex)
        {
            Kill(process);
            if (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested && invocation.Timeout is { } limitTime)
            {
                throw new TimeoutException($"{invocation.Name} did not finish within {limitTime.TotalSeconds:0} s.", ex);
            }

            throw;
        }

        lock (errorLines)
        {
            var error = errorLines.Count == 0 ? "" : string.Join('\n', errorLines) + "\n";
            return new ProgramResult(invocation.Name, process.ExitCode, "", error);
        }
    }

    /// <summary>Runs a program and returns its whole stdout as text (versions, listings, a script's report).</summary>
    public static async Task<ProgramResult> CaptureAsync(ProgramInvocation invocation, CancellationToken cancellationToken = default)
    {
        var output = "";
        var result = await RunAsync(invocation, async (stream, ct) =>
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            output = await reader.ReadToEndAsync(ct);
        }, cancellationToken: cancellationToken);
        return result with { Output = output };
    }

    /// <summary>Starts a long-running program (a server); the caller stops it by disposing the handle.</summary>
    public static RunningProgram Start(ProgramInvocation invocation) => new(invocation, StartInfo(invocation));

    /// <summary>Sends a signal by name (INT for a graceful server stop); .NET itself only sends KILL.</summary>
    public static async Task SignalAsync(int pid, string signal) =>
        await CaptureAsync(new ProgramInvocation("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]));

    internal static void Kill(Process process)
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

    // A closed stdin: a program that reads it (openssl s_client, a confirmation prompt) sees the end at once.
    private static Func<Stream, CancellationToken, Task> WriteText(string? text) => text is null
        ? (_, _) => Task.CompletedTask
        : (stdin, ct) => stdin.WriteAsync(Encoding.UTF8.GetBytes(text), ct).AsTask();

    private static async Task WriteInputAsync(Process process, Func<Stream, CancellationToken, Task> writeInput, CancellationToken cancellationToken)
    {
        var stdin = process.StandardInput.BaseStream;
        try
        {
            await writeInput(stdin, cancellationToken);
        }
        catch (IOException)
        {
            // A broken pipe: the program closed its input, because it failed or because it has read all it needs
            // (pg_restore --list reads only the archive's table of contents). It may not have exited yet when the write
            // fails, so this is not a failure in itself: its exit code and stderr tell which it was.
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

    private static ProcessStartInfo StartInfo(ProgramInvocation invocation)
    {
        var info = new ProcessStartInfo("setpriv")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = invocation.WorkingDirectory,
        };
        foreach (var argument in ServiceAccount.SetprivArguments(invocation.RunAsUser)) info.ArgumentList.Add(argument);
        info.ArgumentList.Add(Resolve(invocation.FileName));
        foreach (var argument in invocation.Arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in invocation.Environment) info.Environment[key] = value;
        return info;
    }

    /// <summary>The program's path, found as the shell would; a missing program is named here rather than as setpriv's exit code 127.</summary>
    private static string Resolve(string fileName)
    {
        if (fileName.Contains('/', StringComparison.Ordinal)) return File.Exists(fileName) ? fileName : throw new ProgramNotFoundException(fileName);
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, fileName);
            if (File.Exists(candidate)) return candidate;
        }

        throw new ProgramNotFoundException(fileName);
    }
}
