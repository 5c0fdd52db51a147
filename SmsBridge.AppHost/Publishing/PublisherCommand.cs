namespace SmsBridge.AppHost.Publishing;

/// <summary>
/// <c>--publisher compose|kubernetes --output-path &lt;dir&gt; [--manifest &lt;file&gt;]</c>: reads the Aspire manifest (by
/// default the committed <c>aspire-manifest.json</c> at the repository root) and writes the hardened production stack,
/// as a compose stack or as Kubernetes objects, into the folder. Aspire owns the rest of the command line (it has no
/// publisher of either name), so this runs before <c>DistributedApplication.CreateBuilder</c>.
/// </summary>
public static class PublisherCommand
{
    private sealed record Publisher(
        string Name, string OutputFolder, Func<string, string, string, IReadOnlyList<(string Path, string Content)>> Render, string Next);

    private static readonly Publisher[] Publishers =
    [
        new("compose", "deploy/", ComposePublisher.Render,
            "Next: deploy/setup-production.sh (secrets and host folders), then docs/operations.md."),
        new("kubernetes", "deploy/kubernetes/", (manifest, directory, _) => KubernetesPublisher.Render(manifest, directory),
            "Next: deploy/kubernetes/README.md (create the Secrets, then kubectl apply -k)."),
    ];

    private const string Usage = """
        Usage: dotnet run --project SmsBridge.AppHost -- --publisher compose|kubernetes --output-path <dir> [--manifest <file>]

          --publisher compose     write the hardened production stack into the folder --output-path:
                                  docker-compose.yml (+ the receiver-port and monitoring-ports overrides), .env.example
                                  and the PostgreSQL, PgBouncer, Redis and nginx files
          --publisher kubernetes  write the same stack as Kubernetes objects into the folder --output-path: a kustomize
                                  base (Deployments, StatefulSets, Services, ConfigMaps, placeholder Secrets,
                                  NetworkPolicies), the overlay overlays/managed for a managed PostgreSQL and Redis,
                                  and README.md for the operator
          --output-path <dir>     the folder to write (the repository's deploy/, or deploy/kubernetes/)
          --manifest <file>       the Aspire manifest to read (default: aspire-manifest.json at the repository root)
          --help                  this text

        Relative paths are taken from the process's folder, which `dotnet run --project` makes SmsBridge.AppHost/ (as for
        Aspire's own --output-path): write ../deploy, or an absolute path. Write the manifest first with Aspire's publisher:
          dotnet run --project SmsBridge.AppHost -- --publisher manifest --output-path "$PWD/aspire-manifest.json"
          dotnet run --project SmsBridge.AppHost -- --publisher compose --output-path "$PWD/deploy"
          dotnet run --project SmsBridge.AppHost -- --publisher kubernetes --output-path "$PWD/deploy/kubernetes"
        (all from the repository root).
        Next steps after compose: deploy/setup-production.sh, then docs/operations.md; after kubernetes:
        deploy/kubernetes/README.md.
        """;

    /// <summary>True for a publisher of ours (either form) and for <c>--help</c>/<c>-h</c>, which Aspire would otherwise ignore.</summary>
    public static bool IsRequested(string[] args) =>
        args.Contains("--help") || args.Contains("-h") || Publishers.Any(p => p.Name == Value(args, "--publisher"));

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            await output.WriteLineAsync(Usage);
            return 0;
        }

        var publisher = Publishers.Single(p => p.Name == Value(args, "--publisher"));
        var outputPath = Value(args, "--output-path");
        if (string.IsNullOrEmpty(outputPath))
        {
            await output.WriteLineAsync($"--output-path needs a folder (the repository's {publisher.OutputFolder}).\n\n" + Usage);
            return 2;
        }

        string manifest;
        if (Value(args, "--manifest") is { Length: > 0 } given)
        {
            manifest = Path.GetFullPath(given);
        }
        else if (FindRepositoryRoot() is { } root)
        {
            manifest = Path.Combine(root, "aspire-manifest.json");
        }
        else
        {
            await output.WriteLineAsync("No repository root (SmsBridge.sln) above the current folder or the AppHost: pass --manifest <file>.");
            return 1;
        }

        if (!File.Exists(manifest))
        {
            await output.WriteLineAsync($"No manifest at {manifest}: write it first with --publisher manifest.");
            return 1;
        }

        var folder = Path.GetFullPath(outputPath);
        IReadOnlyList<(string Path, string Content)> files;
        try
        {
            files = publisher.Render(await File.ReadAllTextAsync(manifest), Path.GetDirectoryName(manifest)!, folder);
        }
        catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            await output.WriteLineAsync($"{manifest} cannot be turned into the {publisher.Name} stack: {ex.Message}");
            return 1;
        }

        await output.WriteLineAsync($"Read {manifest}");
        foreach (var (relative, content) in files)
        {
            var path = Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, content);
            await output.WriteLineAsync($"Wrote {path}");
        }

        await output.WriteLineAsync(publisher.Next);
        return 0;
    }

    /// <summary>The value of <c>--name value</c> or <c>--name=value</c>; null if absent.</summary>
    private static string? Value(string[] args, string name)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == name) return i + 1 < args.Length ? args[i + 1] : "";
            if (args[i].StartsWith(name + "=", StringComparison.Ordinal)) return args[i][(name.Length + 1)..];
        }

        return null;
    }

    private static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SmsBridge.sln"))) return dir.FullName;
            }
        }

        return null;
    }
}
