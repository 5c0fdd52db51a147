using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using SmsBridge.Admin;
using SmsBridge.Backup.Configuration;
using SmsBridge.Receiver.Security;
using SmsBridge.ServiceDefaults.Secrets;

namespace SmsBridge.Tests.Deploy;

public sealed class ProductionSecretsTests
{
    private const string Strong = "k3Hq9ZtP0aXw7YvB2nM5cR8dL1fG4sJ6";
    private static readonly string StrongKey = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(Strong));

    private static List<string> Problems(params (string Key, string? Value)[] values) =>
        Extensions.FindWeakSecrets(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build()).ToList();

    [Theory]
    [InlineData("CHANGE_ME", "is a default placeholder")]
    [InlineData("admin", "is a default placeholder")]
    [InlineData("please-CHANGE_ME-now-1234567", "is a default placeholder")]
    [InlineData("", "is missing or empty")]
    [InlineData("   ", "is missing or empty")]
    [InlineData("Sh0rtSecret", "is shorter than 16 characters")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaa", "repeats too few distinct characters")]
    [InlineData("whsec_abc", "is shorter than 16 characters")]
    public void A_weak_secret_is_named_with_what_is_wrong(string value, string reason)
    {
        var problems = Problems(("Secrets:BackendApiKey", value), ("Secrets:HashKey", StrongKey));

        Assert.Equal([$"Secrets__BackendApiKey {reason}"], problems);
    }

    [Fact]
    public void Generated_secrets_and_connection_strings_pass_and_a_weak_connection_password_does_not()
    {
        Assert.Empty(Problems(
            ("Secrets:AdminPassword", SmsBridge.AppHost.Hosting.Secrets.Password()),
            ("Secrets:PinEncryptionKey", SmsBridge.AppHost.Hosting.Secrets.Key()),
            ("Secrets:WebhookSecret", SmsBridge.AppHost.Hosting.Secrets.WebhookSecret()),
            ("ConnectionStrings:smsbridge", $"Host=pgbouncer;Port=6432;Username=smsbridge_app;Password={Strong};Database=smsbridge"),
            ("ConnectionStrings:cache", $"cache:6379,password={Strong}")));

        var problems = Problems(
            ("ConnectionStrings:cache", "cache:6379,password="),
            ("ConnectionStrings:smsbridge", "Host=pgbouncer;Username=smsbridge_app;Password=postgres;Database=smsbridge"));

        Assert.Equal(["ConnectionStrings__cache: its password is missing or empty", "ConnectionStrings__smsbridge: its password is a default placeholder"],
            problems);
    }

    /// <summary>Every required secret of a service, strong, with the connection strings pointing where nothing listens.</summary>
    private static Dictionary<string, string> StrongSecrets(IEnumerable<string> required) => required.ToDictionary(
        key => SecretFiles.Variable(key),
        key => key switch
        {
            "ConnectionStrings:cache" => $"127.0.0.1:1,password={Strong}",
            _ when key.StartsWith("ConnectionStrings:", StringComparison.Ordinal) => $"Host=127.0.0.1;Port=1;Username=smsbridge_app;Password={Strong};Database=smsbridge",
            "Secrets:WebhookSecret" => "whsec_" + StrongKey,
            _ when SecretKeyFormats.Base64Keys.ContainsKey(key["Secrets:".Length..]) => StrongKey,
            _ => Strong,
        });

    /// <summary>The built service started as production starts it, with <paramref name="settings"/> as its environment.</summary>
    private static async Task<ProgramResult> RunInProductionAsync(string project, IDictionary<string, string> settings)
    {
        var dll = Repo.PathOf($"{project}/bin/{Repo.Configuration}/net10.0/{project}.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");
        var environment = new Dictionary<string, string>(settings)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        };
        return await Tool.RunAsync("dotnet", [dll], environment, workingDirectory: Path.GetDirectoryName(dll), timeout: TimeSpan.FromSeconds(60));
    }

    /// <summary>Exit code 1 and one line on standard error, no stack trace, no secret value; the line returned.</summary>
    private static string AssertRefusedInOneLine(ProgramResult result, params string[] values)
    {
        Assert.True(result.ExitCode == 1, $"exit code {result.ExitCode}: {result.All}");
        Assert.True(result.Output.Trim().Length == 0, result.All);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, result.Error);
        Assert.DoesNotContain("   at ", result.All, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.All, StringComparison.Ordinal);
        foreach (var value in values) Assert.DoesNotContain(value, result.All, StringComparison.Ordinal);
        return lines[0];
    }

    [Fact]
    public async Task The_receiver_with_a_default_secret_exits_1_with_one_line_naming_the_variable()
    {
        var settings = StrongSecrets(ReceiverRequiredSecrets.Settings);
        settings["Secrets__BackendApiKey"] = "CHANGE_ME";

        var line = AssertRefusedInOneLine(await RunInProductionAsync("SmsBridge.Receiver", settings), Strong, "CHANGE_ME;");

        Assert.StartsWith("Refusing to start in Production with unsafe secrets: Secrets__BackendApiKey is a default placeholder. ", line, StringComparison.Ordinal);
        Assert.Contains("deploy/setup-production.sh", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Secrets__HashKey", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_service_without_a_required_secret_exits_1_naming_it()
    {
        var settings = StrongSecrets(AdminRequiredSecrets.Settings);
        settings.Remove("Secrets__AdminPassword");
        settings["ConnectionStrings__cache"] = "127.0.0.1:1";

        var line = AssertRefusedInOneLine(await RunInProductionAsync("SmsBridge.Admin", settings), Strong);

        Assert.Equal("Refusing to start in Production with unsafe secrets: ConnectionStrings__cache has no password (add it, or " +
                     "ConnectionStrings__cache_PASSWORD_FILE); Secrets__AdminPassword is missing. Generate them with deploy/setup-production.sh " +
                     "and give each as the variable or as <variable>_FILE (docs/operations.md, \"Secrets\").", line);
    }

    [Fact]
    public async Task The_backup_worker_with_a_secret_file_that_is_not_there_exits_1_naming_the_setting_and_the_path()
    {
        var settings = StrongSecrets(BackupRequiredSecrets.Settings);
        settings.Remove("Secrets__BackupEncryptionKey");
        settings["Secrets__BackupEncryptionKey_FILE"] = "/run/secrets/no-such-backup-encryption-key";

        var line = AssertRefusedInOneLine(await RunInProductionAsync("SmsBridge.Backup", settings), Strong);

        Assert.Equal("Secrets__BackupEncryptionKey_FILE names /run/secrets/no-such-backup-encryption-key, but it does not exist: " +
                     "create the file (deploy/setup-production.sh does) or fix the path.", line);
    }

    [Theory]
    [InlineData("Secrets:PinEncryptionKey", "not base64 at all, but long enough!", "is not base64 of 32 bytes")]
    [InlineData("Secrets:HashKey", "c2hvcnQga2V5IG9mIDI0IGJ5dGVzIG9ubHkh", "is not base64 of 32 bytes")]
    [InlineData("Secrets:WebhookSecret", "whsec_not-base64-but-long-enough", "is not whsec_ and base64 of 24 to 64 bytes")]
    public void A_key_that_does_not_decode_to_its_size_is_named(string setting, string value, string reason)
    {
        var problem = Assert.Single(Problems((setting, value)));

        Assert.StartsWith($"{SecretFiles.Variable(setting)} {reason}", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(value, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_backup_worker_with_a_malformed_key_exits_1_in_one_line_not_a_stack_trace()
    {
        var settings = StrongSecrets(BackupRequiredSecrets.Settings);
        settings["Secrets__BackupEncryptionKey"] = "this-is-long-but-it-is-not-base64!";

        var line = AssertRefusedInOneLine(await RunInProductionAsync("SmsBridge.Backup", settings), "this-is-long-but-it-is-not-base64!");

        Assert.Contains("Secrets__BackupEncryptionKey is not base64 of 32 bytes (generate one with: openssl rand -base64 32)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_receiver_reads_its_secrets_from_files_and_judges_what_they_hold()
    {
        // Every secret from a file, as the production compose gives them; one of them weak. The refusal names only that one:
        // the others were read, trailing newlines and all, and passed.
        var folder = Directory.CreateTempSubdirectory("smsbridge-production-secrets-").FullName;
        try
        {
            var settings = new Dictionary<string, string>();
            foreach (var (variable, value) in StrongSecrets(ReceiverRequiredSecrets.Settings))
            {
                var file = Path.Combine(folder, variable);
                var password = ConnectionStringPassword.Find(value);
                if (password is null)
                {
                    await File.WriteAllTextAsync(file, (variable == "Secrets__GatewaySigningKey" ? "Sh0rt" : value) + "\n");
                    settings[variable + SecretFiles.FileSuffix] = file;
                }
                else
                {
                    await File.WriteAllTextAsync(file, password + "\n");
                    settings[variable] = value.Replace($";Password={password}", "", StringComparison.Ordinal).Replace($",password={password}", "", StringComparison.Ordinal);
                    settings[variable + SecretFiles.PasswordFileSuffix] = file;
                }
            }

            var line = AssertRefusedInOneLine(await RunInProductionAsync("SmsBridge.Receiver", settings), Strong, "Sh0rt");

            Assert.StartsWith("Refusing to start in Production with unsafe secrets: Secrets__GatewaySigningKey is shorter than 16 characters. ",
                line, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("create-admin", "--username", "ops")]
    [InlineData("doctor")]
    public async Task The_admin_commands_read_secret_files_as_the_service_does(params string[] command)
    {
        // As in the admin container: the connection string without its password, the password named by _PASSWORD_FILE.
        var dll = Repo.PathOf($"SmsBridge.Admin/bin/{Repo.Configuration}/net10.0/SmsBridge.Admin.dll");
        var result = await Tool.RunAsync("dotnet", [dll, .. command], new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["SMSBRIDGE_ADMIN_PASSWORD"] = Strong,
            ["ConnectionStrings__smsbridge"] = "Host=127.0.0.1;Port=1;Username=smsbridge_app;Database=smsbridge",
            ["ConnectionStrings__smsbridge_PASSWORD_FILE"] = "/run/secrets/no-such-smsbridge-app-password",
        }, workingDirectory: Path.GetDirectoryName(dll), timeout: TimeSpan.FromSeconds(60));

        var line = AssertRefusedInOneLine(result, Strong);
        Assert.Equal("ConnectionStrings__smsbridge_PASSWORD_FILE names /run/secrets/no-such-smsbridge-app-password, but it does not exist: " +
                     "create the file (deploy/setup-production.sh does) or fix the path.", line);
    }

    [Fact]
    public void Each_service_requires_exactly_the_secrets_the_apphost_gives_it()
    {
        using var manifest = System.Text.Json.JsonDocument.Parse(Repo.Read("aspire-manifest.json"));
        var resources = manifest.RootElement.GetProperty("resources");
        foreach (var (service, required) in new[]
                 {
                     ("receiver", ReceiverRequiredSecrets.Settings), ("admin", AdminRequiredSecrets.Settings), ("backup", BackupRequiredSecrets.Settings),
                 })
        {
            var names = resources.GetProperty(service).GetProperty("env").EnumerateObject().Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
            var given = names
                .Where(n => n.StartsWith("Secrets__", StringComparison.Ordinal) || n.StartsWith("ConnectionStrings__", StringComparison.Ordinal))
                // Aspire also writes each connection string with '_' for shells; the services read the '-' name.
                .Where(n => !(n.StartsWith("ConnectionStrings__", StringComparison.Ordinal) && n.Contains('_', StringComparison.Ordinal)
                              && n["ConnectionStrings__".Length..].Contains('_', StringComparison.Ordinal)
                              && names.Contains("ConnectionStrings__" + n["ConnectionStrings__".Length..].Replace('_', '-'))))
                .Select(n => n.Replace("__", ":", StringComparison.Ordinal));
            Assert.Equal(given.Order(StringComparer.Ordinal), required.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task The_same_service_outside_production_is_not_held_back_by_its_secrets()
    {
        var dll = Repo.PathOf($"SmsBridge.Receiver/bin/{Repo.Configuration}/net10.0/SmsBridge.Receiver.dll");

        // Without a database it stops for that reason, later: the secret check did not fire.
        var result = await Tool.RunAsync("dotnet", [dll], new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Secrets__BackendApiKey"] = "CHANGE_ME",
        }, workingDirectory: Path.GetDirectoryName(dll), timeout: TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("Refusing to start in Production", result.All, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__smsbridge", result.All, StringComparison.Ordinal);
    }
}
