using Microsoft.Extensions.Configuration;
using SmsBridge.AppHost.Hosting;

namespace SmsBridge.AppHost.Publishing;

/// <summary>
/// <c>--publisher manifest|compose --output-path X</c>: describe the graph instead of running it. Relative paths are
/// taken from the AppHost's project folder, as in Aspire's own instructions (<c>--output-path ../aspire-manifest.json</c>).
/// </summary>
public static class PublishCommand
{
    private const string Help = """
        Usage: dotnet run --project SmsBridge.AppHost -- --publisher <manifest|compose> --output-path <path> [--manifest-path <path>]

          --publisher manifest   write the Aspire manifest (aspire-8.0) of the graph to --output-path
                                 (default ../aspire-manifest.json)
          --publisher compose    read the manifest back from --manifest-path (default ../aspire-manifest.json) and write
                                 the hardened production stack into the folder --output-path (default ../deploy):
                                 docker-compose.yml, .env.example and the PostgreSQL, PgBouncer, Redis and nginx files
          --help                 this text

        Relative paths are resolved from the SmsBridge.AppHost folder. Without --publisher the AppHost runs the graph.
        Next steps after compose: deploy/setup-production.sh, then docs/operations.md.
        """;

    public static bool IsRequested(string[] args) => args.Contains("--publisher") || args.Contains("--help") || args.Contains("-h");

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            await output.WriteLineAsync(Help);
            return 0;
        }

        IConfiguration configuration;
        try
        {
            configuration = new ConfigurationBuilder().AddCommandLine(args).Build();
        }
        catch (FormatException ex)
        {
            await output.WriteLineAsync($"{ex.Message}\n\n{Help}");
            return 2;
        }

        var publisher = configuration["publisher"];

        if (string.IsNullOrEmpty(publisher))
        {
            await output.WriteLineAsync("--publisher needs a value: manifest or compose.\n\n" + Help);
            return 2;
        }

        var root = RepositoryRoot.Find();
        var appHostFolder = Path.Combine(root, "SmsBridge.AppHost");
        string Resolve(string? path, string fallback) => Path.GetFullPath(path ?? fallback, appHostFolder);

        switch (publisher)
        {
            case "manifest":
                var manifestPath = Resolve(configuration["output-path"], "../aspire-manifest.json");
                await File.WriteAllTextAsync(manifestPath, BuildManifest(root, Path.GetDirectoryName(manifestPath)!));
                await output.WriteLineAsync($"Wrote {manifestPath}");
                return 0;
            case "compose":
                var source = Resolve(configuration["manifest-path"], "../aspire-manifest.json");
                if (!File.Exists(source))
                {
                    await output.WriteLineAsync($"No manifest at {source}: run with --publisher manifest first.");
                    return 1;
                }

                var folder = Resolve(configuration["output-path"], "../deploy");
                var files = ComposePublisher.Render(await File.ReadAllTextAsync(source), Path.GetDirectoryName(source)!, folder);
                foreach (var (relative, content) in files)
                {
                    var path = Path.Combine(folder, relative);
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    await File.WriteAllTextAsync(path, content);
                    await output.WriteLineAsync($"Wrote {path}");
                }

                await output.WriteLineAsync("Next: deploy/setup-production.sh (secrets and host folders), then docs/operations.md.");
                return 0;
            default:
                await output.WriteLineAsync($"Unknown publisher '{publisher}': use manifest or compose.\n\n{Help}");
                return 2;
        }
    }

    /// <summary>
    /// Declares the graph as run mode does, in a throwaway data folder (parameters resolve there and are discarded),
    /// and writes it as a manifest whose paths are relative to <paramref name="manifestDirectory"/>.
    /// </summary>
    public static string BuildManifest(string repositoryRoot, string manifestDirectory)
    {
        var scratch = Path.Combine(Path.GetTempPath(), "smsbridge-publish-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            // Only the default graph is published: connection strings in the environment switch run mode to existing
            // servers, but the manifest describes what production runs.
            var builder = new DistributedApplicationBuilder(
                new AppHostOptions { RepositoryRoot = repositoryRoot, DataDirectory = scratch },
                new ConfigurationBuilder().Build());
            AppGraph.Declare(builder);
            return ManifestPublisher.Publish(builder.Resources, repositoryRoot, manifestDirectory);
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }
}
