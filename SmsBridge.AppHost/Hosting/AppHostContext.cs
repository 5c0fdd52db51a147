namespace SmsBridge.AppHost.Hosting;

/// <summary>What every resource needs while starting: where its data lives, who it runs as, and how to launch processes.</summary>
public sealed class AppHostContext(AppHostOptions options, ProcessLauncher launcher)
{
    public AppHostOptions Options { get; } = options;

    public ProcessLauncher Launcher { get; } = launcher;

    public string DataPath(params string[] parts) => Path.Combine([Options.DataDirectory, .. parts]);
}
