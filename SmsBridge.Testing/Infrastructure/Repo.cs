namespace SmsBridge.Tests.Infrastructure;

/// <summary>Paths in the repository checkout the tests run from.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string DeployFolder => Path.Combine(Root, "deploy");

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>The build configuration the tests (and so the services beside them) were built in.</summary>
    public static string Configuration { get; } = typeof(Repo).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
        .OfType<System.Reflection.AssemblyConfigurationAttribute>().First().Configuration;

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SmsBridge.sln"))) return directory.FullName;
        }

        throw new InvalidOperationException("SmsBridge.sln not found above " + AppContext.BaseDirectory);
    }
}
