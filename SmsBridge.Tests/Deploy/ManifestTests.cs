using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SmsBridge.AppHost.Publishing;

namespace SmsBridge.Tests.Deploy;

public sealed partial class ManifestTests
{
    private static readonly string Committed = Repo.Read("aspire-manifest.json");

    private static JsonSchemaSubset Schema() =>
        new(JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "SmsBridge.Tests", "Deploy", "aspire-8.0.json"))).RootElement);

    [Fact]
    public void Committed_manifest_equals_a_fresh_publish_of_the_graph()
    {
        var fresh = PublishCommand.BuildManifest(Repo.Root, Repo.Root);

        Assert.True(fresh == Committed,
            "aspire-manifest.json is stale: run `dotnet run --project SmsBridge.AppHost -- --publisher manifest --output-path ../aspire-manifest.json` " +
            "and then `-- --publisher compose --output-path ../deploy`, and commit both.");
    }

    [Fact]
    public void Publishing_twice_gives_the_same_bytes_and_no_secret_value()
    {
        // Each publish declares the graph in its own scratch folder, so each generates different secret values:
        // equal output proves that none of them is written.
        var first = PublishCommand.BuildManifest(Repo.Root, Repo.Root);
        var second = PublishCommand.BuildManifest(Repo.Root, Repo.Root);

        Assert.Equal(first, second);
        foreach (var password in PasswordValue().Matches(first).Select(m => m.Groups[1].Value))
        {
            Assert.Matches(@"^\{[a-z0-9-]+\.value\}$", password);
        }
    }

    [Fact]
    public void Manifest_validates_against_the_aspire_8_schema()
    {
        var errors = Schema().Validate(JsonDocument.Parse(Committed).RootElement);

        Assert.Empty(errors);
    }

    [Fact]
    public void The_schema_check_rejects_what_aspirate_would_reject()
    {
        var manifest = JsonNode.Parse(Committed)!;
        manifest["resources"]!["cache"]!["bindings"]!["tcp"]!["scheme"] = "redis";       // not a binding scheme
        manifest["resources"]!["postgres"]!.AsObject().Remove("image");                    // container.v0 needs an image
        manifest["resources"]!["hash-key"]!["inputs"]!["value"]!["type"] = "number";        // inputs are strings
        manifest["resources"]!["receiver"]!["bindings"]!["http"]!["transport"] = "tcp2";

        var errors = Schema().Validate(JsonDocument.Parse(manifest.ToJsonString()).RootElement);

        Assert.Contains(errors, e => e.Contains("$.resources.cache", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("$.resources.postgres", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("$.resources.hash-key", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("$.resources.receiver", StringComparison.Ordinal));
    }

    [Fact]
    public void Resources_have_the_types_and_shapes_current_aspire_writes()
    {
        using var manifest = JsonDocument.Parse(Committed);
        Assert.Equal("https://json.schemastore.org/aspire-8.0.json", manifest.RootElement.GetProperty("$schema").GetString());
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

    [Fact]
    public async Task The_publisher_command_writes_where_it_is_told_and_explains_itself()
    {
        var folder = Directory.CreateTempSubdirectory("smsbridge-manifest-").FullName;
        try
        {
            var output = new StringWriter();
            var path = Path.Combine(folder, "aspire-manifest.json");

            var code = await PublishCommand.RunAsync(["--publisher", "manifest", "--output-path", path], output);

            Assert.Equal(0, code);
            Assert.Contains(path, output.ToString(), StringComparison.Ordinal);
            using var written = JsonDocument.Parse(await File.ReadAllTextAsync(path));
            Assert.Empty(Schema().Validate(written.RootElement));

            var help = new StringWriter();
            Assert.Equal(0, await PublishCommand.RunAsync(["--help"], help));
            Assert.Contains("--publisher <manifest|compose>", help.ToString(), StringComparison.Ordinal);
            var unknown = new StringWriter();
            Assert.Equal(2, await PublishCommand.RunAsync(["--publisher", "helm"], unknown));
            Assert.Contains("Unknown publisher 'helm'", unknown.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [GeneratedRegex(@"Password=([^;""]*)")]
    private static partial Regex PasswordValue();

    [GeneratedRegex(@"\{([a-z0-9-]+)\.[A-Za-z0-9_.]+\}")]
    private static partial Regex Expression();
}
