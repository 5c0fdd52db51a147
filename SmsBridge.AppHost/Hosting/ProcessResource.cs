using System.Diagnostics;

namespace SmsBridge.AppHost.Hosting;

/// <summary>A resource that is one child process: started, watched, stopped gracefully, or killed for fault tests.</summary>
public abstract class ProcessResource(string name) : Resource(name)
{
    private Process? _process;
    private AppHostContext? _context;

    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>The signal that asks this process for a clean shutdown.</summary>
    protected virtual int StopSignal => Signals.Term;

    protected string PidFile => _context!.DataPath("pids", Name + ".pid");

    /// <summary>A string in the command line that proves a recorded pid is still this resource.</summary>
    protected abstract string PidMarker { get; }

    protected abstract Task<(string FileName, IReadOnlyList<string> Arguments, IDictionary<string, string?> Environment, string WorkingDirectory)>
        PrepareAsync(AppHostContext context, CancellationToken cancellationToken);

    public override async Task StartAsync(AppHostContext context, CancellationToken cancellationToken)
    {
        _context = context;
        await PidFiles.ReconcileAsync(PidFile, PidMarker);
        State = ResourceState.Starting;
        var (fileName, arguments, environment, workingDirectory) = await PrepareAsync(context, cancellationToken);
        var process = await context.Launcher.StartAsync(fileName, arguments, environment, workingDirectory, Logs.Add);
        _process = process;
        StartedAt = DateTimeOffset.UtcNow;
        ExitCode = null;
        PidFiles.Record(PidFile, process.Id);
        State = ResourceState.Running;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) =>
        {
            if (!ReferenceEquals(_process, process)) return;
            ExitCode = process.ExitCode;
            if (State != ResourceState.Stopped) State = ResourceState.Exited;
        };
    }

    public bool HasExited => _process is null || _process.HasExited;

    public override async Task StopAsync()
    {
        var process = _process;
        if (process is null) return;
        State = ResourceState.Stopped;
        if (!process.HasExited)
        {
            Signals.Send(process.Id, StopSignal);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        PidFiles.Forget(PidFile);
        process.Dispose();
        _process = null;
    }

    /// <summary>kill -9, for fault tests: no shutdown, no flush.</summary>
    public async Task KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException($"{Name} is not running.");
        State = ResourceState.Exited;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }
}
