using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace SmsBridge.Tests.Deploy;

/// <summary>
/// aspire-manifest.json is what Aspire's own manifest publisher writes for the AppHost (run from its built dll, as
/// <c>dotnet run --project SmsBridge.AppHost -- --publisher manifest</c> would), committed and drift-tested, and valid
/// against the Aspire 8.0 schema through JsonSchema.Net.
/// </summary>
public sealed partial class ManifestTests
{
    private static readonly string Committed = Repo.Read("aspire-manifest.json");
    private static readonly Lazy<Task<string>> Fresh = new(PublishAsync);

    private static readonly JsonSchema Schema = JsonSchema.FromFile(Path.Combine(Repo.Root, "SmsBridge.Tests.Deploy", "Deploy", "aspire-8.0.json"));

    /// <summary>Runs Aspire's publisher into a scratch file beside the committed one (paths in it are relative to its folder).</summary>
    private static async Task<string> PublishAsync()
    {
        var path = Path.Combine(Repo.Root, $".aspire-manifest-{Guid.NewGuid():N}.json");
        try
        {
            var apphost = Repo.PathOf($"SmsBridge.AppHost/bin/{Repo.Configuration}/net10.0/SmsBridge.AppHost.dll");
            var result = await Tool.RunAsync("dotnet", [apphost, "--publisher", "manifest", "--output-path", path],
                workingDirectory: Repo.Root, timeout: TimeSpan.FromMinutes(2));
            Assert.True(result.ExitCode == 0, result.All);
            return await File.ReadAllTextAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>What fails, as "instance location: message", read down only the failing branches (a oneOf that matched is not reported).</summary>
    private static List<string> Validate(string manifest) =>
        [.. Failures(Schema.Evaluate(JsonDocument.Parse(manifest).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical }))];

    private static IEnumerable<string> Failures(EvaluationResults result) =>
        result.IsValid
            ? []
            : (result.Details ?? []).SelectMany(Failures).Concat((result.Errors ?? new Dictionary<string, string>()).Select(e => $"{result.InstanceLocation}: {e.Value}"));

    [Fact]
    public async Task Committed_manifest_equals_a_fresh_publish_of_the_graph()
    {
        var fresh = await Fresh.Value;

        Assert.True(fresh == Committed,
            "aspire-manifest.json is stale: run `dotnet run --project SmsBridge.AppHost -- --publisher manifest --output-path ../aspire-manifest.json` " +
            "and then `-- --publisher compose --output-path ../deploy`, and commit both.");
    }

    [Fact]
    public async Task Publishing_twice_gives_the_same_bytes_and_no_secret_value()
    {
        // Each publish generates its own secret values in memory: equal output proves that none of them is written.
        var first = await Fresh.Value;
        var second = await PublishAsync();

        Assert.Equal(first, second);
        foreach (var password in PasswordValue().Matches(first).Select(m => m.Groups[1].Value))
        {
            Assert.Matches(@"^\{[a-z0-9-]+\.value\}$", password);
        }
    }

    [Fact]
    public async Task The_development_tools_are_in_no_published_output()
    {
        var fresh = await Fresh.Value;
        var published = Directory.EnumerateFiles(Repo.DeployFolder, "*", SearchOption.AllDirectories)
            .Select(path => (Path: path, Text: File.ReadAllText(path)))
            .Append((Path: "aspire-manifest.json (fresh)", Text: fresh));
        foreach (var (path, text) in published)
        {
            foreach (var forbidden in (string[])[.. Infrastructure.TestGraph.DevelopmentToolNames, "SampleBackend", "GatewaySimulator", "FirstSettings"])
            {
                Assert.False(text.Contains(forbidden, StringComparison.OrdinalIgnoreCase), $"{path} mentions {forbidden}");
            }
        }
    }

    [Fact]
    public void Manifest_validates_against_the_aspire_8_schema()
    {
        Assert.Empty(Validate(Committed));
    }

    [Fact]
    public void The_schema_check_rejects_what_aspirate_would_reject()
    {
        var manifest = JsonNode.Parse(Committed)!;
        manifest["resources"]!["cache"]!["bindings"]!["tcp"]!["scheme"] = "redis";       // not a binding scheme
        manifest["resources"]!["postgres"]!.AsObject().Remove("image");                    // container.v0 needs an image
        manifest["resources"]!["hash-key"]!["inputs"]!["value"]!["type"] = "number";        // inputs are strings
        manifest["resources"]!["receiver"]!["bindings"]!["http"]!["transport"] = "tcp2";

        var errors = Validate(manifest.ToJsonString());

        Assert.Contains(errors, e => e.StartsWith("/resources/cache", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("/resources/postgres", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("/resources/hash-key", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("/resources/receiver", StringComparison.Ordinal));
    }

    [Fact]
    public void Resources_have_the_types_and_shapes_current_aspire_writes()
    {
        using var manifest = JsonDocument.Parse(Committed);
        var resources = manifest.RootElement.GetProperty("resources");
        string TypeOf(string name) => resources.GetProperty(name).GetProperty("type").GetString()!;

        Assert.Equal("container.v0", TypeOf("postgres"));
        Assert.Equal("container.v0", TypeOf("cache"));
        Assert.Equal("value.v0", TypeOf("smsbridge"));
        Assert.Equal("value.v0", TypeOf("smsbridge-migrations"));
        Assert.Equal("value.v0", TypeOf("smsbridge-backup"));
        foreach (var project in new[] { "receiver", "admin", "backup" }) Assert.Equal("project.v0", TypeOf(project));
        Assert.DoesNotContain(resources.EnumerateObject(), r => TypeOf(r.Name) is "postgres.server.v0" or "postgres.database.v0" or "redis.v0");

        foreach (var store in new[] { "postgres", "cache" })
        {
            var tcp = resources.GetProperty(store).GetProperty("bindings").GetProperty("tcp");
            Assert.Equal("tcp", tcp.GetProperty("scheme").GetString());
            Assert.Contains($"{{{store}.bindings.tcp.host}}", resources.GetProperty(store).GetProperty("connectionString").GetString(), StringComparison.Ordinal);
        }

        Assert.StartsWith("Host={postgres.bindings.tcp.host};Port={postgres.bindings.tcp.port};Username=smsbridge_app;",
            resources.GetProperty("smsbridge").GetProperty("connectionString").GetString(), StringComparison.Ordinal);
        var receiver = resources.GetProperty("receiver");
        Assert.Equal("SmsBridge.Receiver/SmsBridge.Receiver.csproj", receiver.GetProperty("path").GetString());
        Assert.True(receiver.GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
        Assert.Equal("{smsbridge.connectionString}", receiver.GetProperty("env").GetProperty("ConnectionStrings__smsbridge").GetString());
        Assert.Equal("{backend-api-key.value}", receiver.GetProperty("env").GetProperty("Secrets__BackendApiKey").GetString());
        Assert.Equal("{receiver.bindings.http.url}",
            resources.GetProperty("admin").GetProperty("env").GetProperty("services__receiver__http__0").GetString());

        // Passwords get Aspire's generated default; formatted keys are supplied by the deployer (setup-production.sh).
        var generate = resources.GetProperty("admin-password").GetProperty("inputs").GetProperty("value").GetProperty("default").GetProperty("generate");
        Assert.Equal(22, generate.GetProperty("minLength").GetInt32());
        Assert.False(resources.GetProperty("pin-encryption-key").GetProperty("inputs").GetProperty("value").TryGetProperty("default", out _));
    }

    [Fact]
    public void Every_expression_refers_to_a_declared_resource_and_paths_exist()
    {
        using var manifest = JsonDocument.Parse(Committed);
        var resources = manifest.RootElement.GetProperty("resources");
        var names = resources.EnumerateObject().Select(r => r.Name).ToHashSet();

        foreach (Match match in Expression().Matches(Committed))
        {
            Assert.True(names.Contains(match.Groups[1].Value), $"{match.Value} refers to an undeclared resource");
        }

        foreach (var resource in resources.EnumerateObject())
        {
            if (resource.Value.TryGetProperty("path", out var path)) Assert.True(File.Exists(Repo.PathOf(path.GetString()!)), path.GetString());
            if (!resource.Value.TryGetProperty("bindMounts", out var mounts)) continue;
            foreach (var mount in mounts.EnumerateArray())
            {
                Assert.True(Directory.Exists(Repo.PathOf(mount.GetProperty("source").GetString()!)), mount.GetProperty("source").GetString());
            }
        }
    }

    [GeneratedRegex(@"Password=([^;""]*)")]
    private static partial Regex PasswordValue();

    [GeneratedRegex(@"\{([a-z0-9-]+)\.[A-Za-z0-9_.]+\}")]
    private static partial Regex Expression();
}
