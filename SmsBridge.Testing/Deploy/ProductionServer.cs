using SmsBridge.Processes;

namespace SmsBridge.Tests.Deploy;

/// <summary>
/// A class fixture that starts a data store as production configures it, in a folder the service account owns: the folder,
/// the clean-up after a failed start (xunit does not dispose a fixture whose start failed) and the disposal it shares.
/// </summary>
public abstract class ProductionServer(string folderPrefix) : IAsyncLifetime
{
    public string Folder { get; private set; } = "";

    /// <summary>The running server, once <see cref="StartAsync"/> has started it.</summary>
    protected ScratchServer? Server { get; set; }

    public async Task InitializeAsync()
    {
        Folder = await Tool.ServiceUserFolderAsync(folderPrefix);
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    protected abstract Task StartAsync();

    public async Task DisposeAsync()
    {
        // The scratch server deletes its folder; a start that failed before it began leaves the folder to delete here.
        if (Server is not null) await Server.DisposeAsync();
        if (Folder.Length > 0 && Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }
}
