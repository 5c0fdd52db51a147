using Microsoft.Extensions.Configuration;
using SmsBridge.Backup.CommandLine;
using SmsBridge.ServiceDefaults.Secrets;

namespace SmsBridge.Tests.Deploy;

/// <summary>Secret settings read from real files: <c>_FILE</c>, <c>_PASSWORD_FILE</c> and a mounted secret directory.</summary>
public sealed class SecretFilesTests : IDisposable
{
    private const string Strong = "k3Hq9ZtP0aXw7YvB2nM5cR8dL1fG4sJ6";
    private const string Other = "Zq8Lm2Nx5Bv7Cc1Dd4Ee6Ff9Gg0Hh3Jj";

    private readonly string _folder = Directory.CreateTempSubdirectory("smsbridge-secret-files-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WriteSecret(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead);
        return path;
    }

    private static ConfigurationManager Configure(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)));
        SecretFiles.AddTo(configuration);
        return configuration;
    }

    [Fact]
    public void A_FILE_setting_gives_the_file_without_its_trailing_newline()
    {
        var configuration = Configure(
            ("Secrets:WebhookSecret_FILE", WriteSecret("webhook-secret", "whsec_" + Strong + "\n")),
            ("ConnectionStrings:smsbridge_FILE", WriteSecret("connection", $"Host=db;Username=smsbridge_app;Password={Strong};Database=smsbridge\r\n")));

        Assert.Equal("whsec_" + Strong, configuration["Secrets:WebhookSecret"]);
        Assert.Equal($"Host=db;Username=smsbridge_app;Password={Strong};Database=smsbridge", configuration.GetConnectionString("smsbridge"));
    }

    [Fact]
    public void A_PASSWORD_FILE_completes_a_connection_string_in_its_own_form()
    {
        var password = WriteSecret("app-password", Strong + "\n");
        var configuration = Configure(
            ("ConnectionStrings:smsbridge", "Host=pgbouncer;Port=6432;Username=smsbridge_app;Database=smsbridge"),
            ("ConnectionStrings:smsbridge_PASSWORD_FILE", password),
            ("ConnectionStrings:cache", "cache:6379"),
            ("ConnectionStrings:cache_PASSWORD_FILE", WriteSecret("cache-password", Other)));

        Assert.Equal($"Host=pgbouncer;Port=6432;Username=smsbridge_app;Database=smsbridge;Password={Strong}", configuration.GetConnectionString("smsbridge"));
        Assert.Equal($"cache:6379,password={Other}", configuration.GetConnectionString("cache"));
        // What the services' clients make of them.
        Assert.Equal(Strong, new Npgsql.NpgsqlConnectionStringBuilder(configuration.GetConnectionString("smsbridge")).Password);
        Assert.Equal(Other, StackExchange.Redis.ConfigurationOptions.Parse(configuration.GetConnectionString("cache")!).Password);
    }

    [Fact]
    public void A_mounted_secret_directory_gives_settings_named_by_file_and_nothing_else()
    {
        WriteSecret("Secrets__HashKey", Strong + "\n");
        WriteSecret("ConnectionStrings__cache", $"cache:6379,password={Other}");
        WriteSecret("postgres-password", Other); // another secret of the stack, not a setting of this service
        Directory.CreateDirectory(Path.Combine(_folder, "..2026_12_02")); // what a Kubernetes secret volume holds beside the keys

        var configuration = Configure((SecretFiles.DirectorySetting, _folder), ("Secrets:HashKey", Other));

        Assert.Equal(Strong, configuration["Secrets:HashKey"]); // the mounted file wins over the environment
        Assert.Equal($"cache:6379,password={Other}", configuration.GetConnectionString("cache"));
        Assert.Null(configuration["postgres-password"]);
    }

    [Fact]
    public void A_file_that_cannot_be_read_or_a_setting_given_twice_is_one_line_naming_the_setting()
    {
        var missing = Path.Combine(_folder, "nowhere", "webhook-secret");
        var absent = Assert.Throws<SecretSettingException>(() => Configure(("Secrets:WebhookSecret_FILE", missing)));
        Assert.Equal($"Secrets__WebhookSecret_FILE names {missing}, but it does not exist: create the file (deploy/setup-production.sh does) or fix the path.",
            absent.Message);

        var twice = Assert.Throws<SecretSettingException>(() => Configure(
            ("Secrets:HashKey", Strong), ("Secrets:HashKey_FILE", WriteSecret("hash-key", Other))));
        Assert.Equal("Secrets__HashKey and Secrets__HashKey_FILE are both set: keep one of them.", twice.Message);

        var both = Assert.Throws<SecretSettingException>(() => Configure(
            ("ConnectionStrings:cache", $"cache:6379,password={Strong}"), ("ConnectionStrings:cache_PASSWORD_FILE", WriteSecret("cache", Other))));
        Assert.Contains("ConnectionStrings__cache has a password and ConnectionStrings__cache_PASSWORD_FILE gives another", both.Message, StringComparison.Ordinal);

        var directory = Assert.Throws<SecretSettingException>(() => Configure((SecretFiles.DirectorySetting, missing)));
        Assert.Contains($"SecretsDirectory names {missing}", directory.Message, StringComparison.Ordinal);

        foreach (var refusal in new[] { absent, twice, both, directory })
        {
            Assert.DoesNotContain('\n', refusal.Message);
            Assert.DoesNotContain(Strong, refusal.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Other, refusal.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_backup_command_line_reads_secret_files_as_the_worker_does()
    {
        var missing = Path.Combine(_folder, "backup-encryption-key");
        var output = new StringWriter();

        var exit = await BackupCommandLine.InvokeAsync(["list"], new Dictionary<string, string?>
        {
            ["Secrets:BackupEncryptionKey_FILE"] = missing,
            ["Backup:Directory"] = _folder,
        }, output);

        Assert.Equal(BackupCommandLine.Failed, exit);
        Assert.Equal($"error: Secrets__BackupEncryptionKey_FILE names {missing}, but it does not exist: create the file (deploy/setup-production.sh does) or fix the path.",
            output.ToString().Trim());
    }
}
