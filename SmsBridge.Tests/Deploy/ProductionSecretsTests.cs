using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace SmsBridge.Tests.Deploy;

public sealed class ProductionSecretsTests
{
    private const string Strong = "k3Hq9ZtP0aXw7YvB2nM5cR8dL1fG4sJ6";

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
        var problems = Problems(("Secrets:BackendApiKey", value), ("Secrets:HashKey", Strong));

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

    [Fact]
    public async Task A_service_in_production_with_a_default_secret_exits_non_zero_naming_the_variable()
    {
        var dll = Repo.PathOf($"SmsBridge.Receiver/bin/{Repo.Configuration}/net10.0/SmsBridge.Receiver.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");

        var result = await Tool.RunAsync("dotnet", [dll], new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Secrets__BackendApiKey"] = "CHANGE_ME",
            ["Secrets__HashKey"] = Strong,
            ["ConnectionStrings__cache"] = $"127.0.0.1:1,password={Strong}",
        }, workingDirectory: Path.GetDirectoryName(dll), timeout: TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Refusing to start in Production", result.All, StringComparison.Ordinal);
        Assert.Contains("Secrets__BackendApiKey is a default placeholder", result.All, StringComparison.Ordinal);
        Assert.DoesNotContain("Secrets__HashKey", result.All, StringComparison.Ordinal);
        Assert.DoesNotContain(Strong, result.All, StringComparison.Ordinal);
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
