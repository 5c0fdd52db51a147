using System.Diagnostics;

namespace SmsBridge.Processes;

/// <summary>A long-running child (a server) and the last lines it wrote, for the message when it dies at start.</summary>
public sealed class RunningProgram : IAsyncDisposable
{
    private const int KeptLines = 50;

    private readonly Process _process;
    private readonly Queue<string> _lines = new();
    private bool _disposed;

    internal RunningProgram(ProgramInvocation invocation, ProcessStartInfo info)
    {
        Name = invocation.Name;
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) =>
        {
            Keep(e.Data);
            if (e.Data is not null) invocation.OnOutputLine?.Invoke(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            Keep(e.Data);
            if (e.Data is not null) invocation.OnErrorLine?.Invoke(e.Data);
        };
        ParentThread.Start(_process);
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines of stdout and stderr together.</summary>
    public string RecentOutput()
    {
        lock (_lines) return string.Join('\n', _lines);
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Sends <paramref name="signal"/> (INT: PostgreSQL's fast shutdown), then kills the tree if it has not exited within the grace.</summary>
    public async Task StopAsync(string signal, TimeSpan grace)
    {
        try
        {
            if (!_process.HasExited) await ExternalProgram.SignalAsync(_process.Id, signal);
        }
        catch (ProgramNotFoundException)
        {
            // No kill(1) in this image: the kill after the grace still stops it.
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    /// <summary>Kills the whole tree and waits for it.</summary>
    public async Task KillAsync()
    {
        ExternalProgram.Kill(_process);
        await _process.WaitForExitAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await KillAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines) _lines.Dequeue();
        }
    }
}
