using Microsoft.Extensions.Configuration;

namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// Where a local run keeps PostgreSQL's cluster, Redis's files, logs and the services' data: <c>AppHost:DataDirectory</c>,
/// by default the repository's git-ignored <c>.data/</c>. Tests give each graph a folder of its own.
/// </summary>
public sealed record LocalData(string Root, bool FastUnsafeStorage)
{
    public string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>
    /// Run mode as root: PostgreSQL and Redis run as the service account, which must reach the folder. When it cannot,
    /// one line on stderr names the folder and the fix (exit code 1), rather than a resource failing with a stack trace.
    /// </summary>
    public async Task<bool> IsReachableAsync(IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsRunMode) return true;
        try
        {
            await DataFolderAccess.PrepareAsync(Root);
            return true;
        }
        catch (DistributedApplicationException ex)
        {
            await Console.Error.WriteLineAsync("error: " + ex.Message);
            Environment.ExitCode = 1;
            return false;
        }
    }

    public static LocalData From(IDistributedApplicationBuilder builder)
    {
        var root = builder.Configuration["AppHost:DataDirectory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".data"));
        // fsync off: for tests and benchmarks only, where a crash of the machine loses nothing that matters.
        return new LocalData(root, builder.Configuration.GetValue("AppHost:FastUnsafeStorage", false));
    }
}
