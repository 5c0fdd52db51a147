using System.Text.RegularExpressions;

namespace SmsBridge.Tests.Deploy;

public sealed class SetupScriptTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("smsbridge-setup-").FullName;

    private string EnvFile => Path.Combine(_folder, ".env");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task<Tool.Result> Setup(params string[] arguments) =>
        Tool.RunAsync(Repo.PathOf("deploy/setup-production.sh"), ["--env-only", "--env-file", EnvFile, .. arguments]);

    private static Dictionary<string, string> Parse(string text) => text.Split('\n')
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Select(l => l.Split('=', 2))
        .ToDictionary(kv => kv[0], kv => kv[1]);

    [Fact]
    public async Task Writes_every_secret_generated_into_a_0600_file_and_says_what_next()
    {
        var result = await Setup("--domain", "sms.example.org");

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(EnvFile));
        Assert.Contains("Next steps", result.Output, StringComparison.Ordinal);
        Assert.Contains("docker-compose -f deploy/docker-compose.yml up -d", result.Output, StringComparison.Ordinal);

        var example = Parse(Repo.Read("deploy/.env.example"));
        var written = Parse(await File.ReadAllTextAsync(EnvFile));
        Assert.Equal(example.Keys.Order(), written.Keys.Order());
        Assert.Equal("sms.example.org", written["SMSBRIDGE_DOMAIN"]);

        // Every secret of the manifest and of the stack: 25+ characters, all different.
        var secrets = example.Keys.Where(k => Regex.IsMatch(k, "(PASSWORD|KEY|SECRET|TOKEN)$")).ToList();
        Assert.True(secrets.Count >= 16, string.Join(", ", secrets));
        foreach (var name in secrets) Assert.True(written[name].Length >= 25, $"{name} is {written[name].Length} characters");
        Assert.Equal(secrets.Count, secrets.Select(s => written[s]).Distinct().Count());
    }

    [Fact]
    public async Task Formatted_keys_have_the_same_shape_as_the_apphosts_own()
    {
        Assert.Equal(0, (await Setup()).ExitCode);
        var written = Parse(await File.ReadAllTextAsync(EnvFile));

        // The AppHost's generators (Hosting/Secrets.cs) are the reference for what each service can decode.
        Assert.Equal(Convert.FromBase64String(SmsBridge.AppHost.Hosting.Secrets.Key()).Length, Convert.FromBase64String(written["PIN_ENCRYPTION_KEY"]).Length);
        Assert.Equal(32, Convert.FromBase64String(written["HASH_KEY"]).Length);
        Assert.Equal(32, Convert.FromBase64String(written["BACKUP_ENCRYPTION_KEY"]).Length);
        Assert.StartsWith("whsec_", SmsBridge.AppHost.Hosting.Secrets.WebhookSecret(), StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(written["WEBHOOK_SECRET"]["whsec_".Length..]).Length);
        Assert.Matches("^[A-Za-z0-9]{32}$", written["SMSBRIDGE_APP_PASSWORD"]);
        Assert.Matches("^[A-Za-z0-9]{32}$", written["CACHE_PASSWORD"]);
    }

    [Fact]
    public async Task Refuses_to_overwrite_without_force_and_rotates_with_it()
    {
        Assert.Equal(0, (await Setup()).ExitCode);
        var first = await File.ReadAllTextAsync(EnvFile);

        var refused = await Setup();
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        Assert.Equal(first, await File.ReadAllTextAsync(EnvFile));

        var forced = await Setup("--force", "--observability");
        Assert.Equal(0, forced.ExitCode);
        var second = Parse(await File.ReadAllTextAsync(EnvFile));
        Assert.NotEqual(Parse(first)["ADMIN_PASSWORD"], second["ADMIN_PASSWORD"]);
        Assert.Equal("observability", second["COMPOSE_PROFILES"]);
        Assert.Equal("http://dashboard:18889", second["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(EnvFile));
        Assert.Equal([EnvFile], Directory.GetFiles(_folder)); // no temporary file left behind
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
