namespace SmsBridge.AppHost.Hosting;

internal static class RepositoryRoot
{
    /// <summary>The folder holding SmsBridge.sln, found upwards from the running binary.</summary>
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SmsBridge.sln"))) return directory.FullName;
        }

        throw new InvalidOperationException("SmsBridge.sln was not found above " + AppContext.BaseDirectory);
    }
}
