using Microsoft.Extensions.Configuration;

namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// Where a local run keeps PostgreSQL's cluster, Redis's files, logs and the services' data: <c>AppHost:DataDirectory</c>,
/// by default the repository's git-ignored <c>.data/</c>. Tests give each graph a folder of its own.
/// </summary>
public sealed record LocalData(string Root, bool FastUnsafeStorage)
{
    public string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static LocalData From(IDistributedApplicationBuilder builder)
    {
        var root = builder.Configuration["AppHost:DataDirectory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".data"));
        // fsync off: for tests and benchmarks only, where a crash of the machine loses nothing that matters.
        return new LocalData(root, builder.Configuration.GetValue("AppHost:FastUnsafeStorage", false));
    }
}
