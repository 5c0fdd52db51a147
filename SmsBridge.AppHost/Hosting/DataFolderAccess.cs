using SmsBridge.Processes;

namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// The local data folders PostgreSQL and Redis write in: created, and when the AppHost is root handed to the service
/// account (initdb and postgres refuse root), after checking that account can reach them.
/// </summary>
internal static class DataFolderAccess
{
    public static async Task PrepareAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        if (!ServiceAccount.IsRoot) return;
        await ServiceAccount.EnsureAsync();
        try
        {
            await ServiceAccount.ChownAsync(directory, ServiceAccount.User);
        }
        catch (InvalidOperationException)
        {
            // The check below says what is wrong in terms the operator can act on.
        }

        var reachable = await ExternalProgram.CaptureAsync(new ProgramInvocation("test", ["-w", directory]) { RunAsUser = ServiceAccount.User });
        if (!reachable.Succeeded)
        {
            throw new DistributedApplicationException(
                $"The account '{ServiceAccount.User}' cannot enter {directory}: a folder above it is closed to other users (e.g. /root). " +
                "Clone the repository somewhere it can reach (e.g. /srv or /opt) or set AppHost:DataDirectory to such a folder.");
        }
    }
}
