namespace SmsBridge.Processes;

/// <summary>
/// What the scratch launchers share: a private folder the unprivileged account owns, the server running in it, and
/// disposal that stops the server and deletes the folder, also when the start failed half-way.
/// </summary>
public abstract class ScratchServer : IAsyncDisposable
{
    private RunningProgram? _server;

    private protected ScratchServer(string folder, string? runAsUser) => (Folder, RunAsUser) = (folder, runAsUser);

    /// <summary>The private folder: the server's files and its Unix socket.</summary>
    public string Folder { get; }

    private protected string? RunAsUser { get; }

    /// <summary>Prepares the folder, then starts the server and waits until it is ready; a failure cleans up before it is thrown.</summary>
    private protected async Task LaunchAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (RunAsUser is { } user) await ServiceAccount.EnsureAsync(user, cancellationToken);
            await ServiceAccount.CreatePrivateFolderAsync(Folder, RunAsUser, cancellationToken);
            await PrepareAsync(cancellationToken);
            _server = ExternalProgram.Start(ServerInvocation() with { RunAsUser = RunAsUser });
            await WaitUntilReadyAsync(_server, cancellationToken);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>What runs before the server (initdb).</summary>
    private protected virtual Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private protected abstract ProgramInvocation ServerInvocation();

    private protected abstract Task WaitUntilReadyAsync(RunningProgram server, CancellationToken cancellationToken);

    /// <summary>A graceful stop before the kill, where the server needs one.</summary>
    private protected virtual Task StopAsync(RunningProgram server) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await StopAsync(_server);
            await _server.DisposeAsync();
        }

        try
        {
            if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still being written; the owner's stale-folder sweep deletes it later.
        }

        GC.SuppressFinalize(this);
    }
}
