using System.Text.RegularExpressions;

namespace SmsBridge.Tests.Deploy;

public sealed class SetupScriptTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("smsbridge-setup-").FullName;

    private string EnvFile => Path.Combine(_folder, ".env");

    private string SecretsFolder => Path.Combine(_folder, "secrets");

    /// <summary>The secret files .env.example lists (<c>#   secret name: …</c>), as setup-production.sh reads them.</summary>
    private static List<string> SecretNames() => Regex.Matches(Repo.Read("deploy/.env.example"), @"(?m)^#   secret ([a-z0-9-]+):")
        .Select(m => m.Groups[1].Value).ToList();

    private string SecretFile(string name) => File.ReadAllText(Path.Combine(SecretsFolder, name));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task<ProgramResult> Setup(params string[] arguments) =>
        Tool.RunAsync(Repo.PathOf("deploy/setup-production.sh"), ["--env-only", "--env-file", EnvFile, .. arguments]);

    private static Dictionary<string, string> Parse(string text) => text.Split('\n')
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Select(l => l.Split('=', 2))
        .ToDictionary(kv => kv[0], kv => kv[1]);

    [Fact]
    public async Task Writes_every_secret_as_a_file_of_its_own_and_an_env_file_without_them_and_says_what_next()
    {
        var result = await Setup("--domain", "sms.example.org");

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(EnvFile));
        Assert.Contains("Next steps", result.Output, StringComparison.Ordinal);
        Assert.Contains("docker-compose -f deploy/docker-compose.yml up -d", result.Output, StringComparison.Ordinal);

        var example = Parse(Repo.Read("deploy/.env.example"));
        var envText = await File.ReadAllTextAsync(EnvFile);
        var written = Parse(envText);
        Assert.Equal(example.Keys.Order(), written.Keys.Order());
        Assert.Equal("sms.example.org", written["SMSBRIDGE_DOMAIN"]);
        Assert.Equal(SecretsFolder, written["SMSBRIDGE_SECRETS_DIR"]);

        // Every secret of the manifest and of the stack is a file of its own: root's, readable by the containers' group only,
        // 25+ characters, all different, and none of them in .env.
        var names = SecretNames();
        Assert.Equal(14, names.Count);
        Assert.Equal(names.Order(), Directory.GetFiles(SecretsFolder).Select(Path.GetFileName).Order());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(SecretsFolder));
        foreach (var name in names)
        {
            var stat = await Tool.RunAsync("stat", ["-c", "%U %g %a", Path.Combine(SecretsFolder, name)]);
            Assert.Equal($"root {SmsBridge.AppHost.Publishing.ProductionStack.SecretReaderGroup} 440", stat.Output.Trim());
            var value = SecretFile(name);
            Assert.True(value.Length >= 25, $"{name} is {value.Length} characters");
            Assert.DoesNotContain(value, envText, StringComparison.Ordinal);
        }

        var dashboardKeys = new[] { "DASHBOARD_TOKEN", "DASHBOARD_OTLP_API_KEY" };
        Assert.All(dashboardKeys, k => Assert.True(written[k].Length >= 25, k));
        Assert.Equal(names.Count + dashboardKeys.Length, names.Select(SecretFile).Concat(dashboardKeys.Select(k => written[k])).Distinct().Count());
    }

    [Fact]
    public async Task Formatted_keys_have_the_same_shape_as_the_apphosts_own()
    {
        Assert.Equal(0, (await Setup()).ExitCode);

        // The AppHost's generators (Hosting/Secrets.cs) are the reference for what each service can decode.
        Assert.Equal(Convert.FromBase64String(SmsBridge.AppHost.Hosting.Secrets.Key()).Length, Convert.FromBase64String(SecretFile("pin-encryption-key")).Length);
        Assert.Equal(32, Convert.FromBase64String(SecretFile("hash-key")).Length);
        Assert.Equal(32, Convert.FromBase64String(SecretFile("backup-encryption-key")).Length);
        Assert.StartsWith("whsec_", SmsBridge.AppHost.Hosting.Secrets.WebhookSecret(), StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(SecretFile("webhook-secret")["whsec_".Length..]).Length);
        // No trailing newline: the file is the value (the services trim one anyway).
        Assert.Matches("^[A-Za-z0-9]{32}$", SecretFile("smsbridge-app-password"));
        Assert.Matches("^[A-Za-z0-9]{32}$", SecretFile("cache-password"));
    }

    [Fact]
    public async Task Refuses_to_overwrite_without_force_and_rotates_with_it()
    {
        Assert.Equal(0, (await Setup()).ExitCode);
        var first = await File.ReadAllTextAsync(EnvFile);
        var firstPassword = SecretFile("admin-password");

        var refused = await Setup();
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        Assert.Equal(first, await File.ReadAllTextAsync(EnvFile));
        Assert.Equal(firstPassword, SecretFile("admin-password"));

        // Secrets left from an earlier run are guarded as well as .env.
        File.Delete(EnvFile);
        Assert.NotEqual(0, (await Setup()).ExitCode);
        Assert.Equal(firstPassword, SecretFile("admin-password"));

        var forced = await Setup("--force", "--observability");
        Assert.Equal(0, forced.ExitCode);
        var second = Parse(await File.ReadAllTextAsync(EnvFile));
        Assert.NotEqual(firstPassword, SecretFile("admin-password"));
        Assert.Equal("observability", second["COMPOSE_PROFILES"]);
        Assert.Equal("http://dashboard:18889", second["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(EnvFile));
        Assert.Equal([EnvFile], Directory.GetFiles(_folder)); // no temporary file left behind
        Assert.Equal(SecretNames().Order(), Directory.GetFiles(SecretsFolder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Help_and_unknown_options_are_answered()
    {
        var help = await Tool.RunAsync(Repo.PathOf("deploy/setup-production.sh"), ["--help"]);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--force", help.Output, StringComparison.Ordinal);

        var wrong = await Tool.RunAsync(Repo.PathOf("deploy/setup-production.sh"), ["--frobnicate"]);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("Unknown option: --frobnicate", wrong.Error, StringComparison.Ordinal);
    }
}
