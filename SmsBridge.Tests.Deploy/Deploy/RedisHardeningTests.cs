using System.Globalization;

namespace SmsBridge.Tests.Deploy;

/// <summary>The generated redis.conf and the ACL entrypoint, run for real as the container runs them.</summary>
public sealed class RedisHardeningTests(ProductionRedis redis) : IClassFixture<ProductionRedis>
{
    private const string AppPassword = ProductionRedis.AppPassword;
    private const string MonitorPassword = ProductionRedis.MonitorPassword;
    private readonly string _folder = redis.Folder;

    private Task<ProgramResult> Cli(string? password, string? user, params string[] command) => redis.Cli(password, user, command);

    [Fact]
    public async Task The_apps_user_works_but_cannot_run_dangerous_commands()
    {
        Assert.Equal("OK", (await Cli(AppPassword, null, "SET", "smsbridge:test", "1")).Output.Trim());
        Assert.Equal("1", (await Cli(AppPassword, null, "EVAL", "return redis.call('GET', KEYS[1])", "1", "smsbridge:test")).Output.Trim());
        Assert.Contains("redis_version", (await Cli(AppPassword, null, "INFO", "server")).Output, StringComparison.Ordinal);

        foreach (var command in new[] { new[] { "FLUSHALL" }, ["CONFIG", "GET", "*"], ["KEYS", "*"], ["SHUTDOWN"], ["ACL", "LIST"] })
        {
            var result = await Cli(AppPassword, null, command);
            Assert.Contains("NOPERM", result.All, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_services_redis_client_connects_and_works_under_the_acl()
    {
        // The services' own client library (StackExchange.Redis 2.13, password-only AUTH as "default"), configured as CacheClient does.
        var options = StackExchange.Redis.ConfigurationOptions.Parse($"127.0.0.1:{redis.Port},password={AppPassword}");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 5000;
        using var client = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(options);
        var database = client.GetDatabase();

        Assert.True(await database.StringSetAsync("smsbridge:client-test", "ok", TimeSpan.FromMinutes(1)));
        Assert.Equal("ok", (string?)await database.StringGetAsync("smsbridge:client-test"));
        Assert.Equal(1L, (long)await database.ScriptEvaluateAsync("return redis.call('EXISTS', KEYS[1])", ["smsbridge:client-test"]));
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task The_monitor_user_reads_info_and_no_key_and_a_stranger_gets_nothing()
    {
        Assert.Contains("aof_enabled:1", (await Cli(MonitorPassword, "monitor", "INFO", "persistence")).Output, StringComparison.Ordinal);
        Assert.Contains("NOPERM", (await Cli(MonitorPassword, "monitor", "GET", "smsbridge:test")).All, StringComparison.Ordinal);
        Assert.Contains("NOAUTH", (await Cli(null, null, "GET", "smsbridge:test")).All, StringComparison.Ordinal);
        Assert.Contains("WRONGPASS", (await Cli("WrongPassword1234567890", null, "PING")).All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_acl_file_is_private_and_the_entrypoint_refuses_an_empty_password()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_folder, "users.acl")));

        var refused = await EntrypointScripts.RunAsync("deploy/redis/entrypoint.sh",
            new Dictionary<string, string> { ["REDIS_PASSWORD"] = "", ["REDIS_MONITOR_PASSWORD"] = MonitorPassword });
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("REDIS_PASSWORD is empty", refused.Error, StringComparison.Ordinal);

        var unreadable = await EntrypointScripts.RunAsync("deploy/redis/entrypoint.sh",
            new Dictionary<string, string> { ["REDIS_PASSWORD_FILE"] = "/run/secrets/no-such-secret", ["REDIS_MONITOR_PASSWORD"] = MonitorPassword });
        Assert.Equal(1, unreadable.ExitCode);
        Assert.Contains("REDIS_PASSWORD_FILE names /run/secrets/no-such-secret, which cannot be read", unreadable.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_compose_healthcheck_reads_the_monitor_password_from_its_secret_file()
    {
        var test = Yaml.Load(Repo.Read("deploy/docker-compose.yml")).Map("services").Map("cache").Map("healthcheck").List("test").Cast<string>().ToList();
        Assert.Equal("CMD-SHELL", test[0]);
        // Compose's $$ is a literal $; pointed at this machine's port.
        var command = test[1].Replace("$$", "$", StringComparison.Ordinal)
            .Replace("redis-cli ", $"redis-cli -p {redis.Port} ", StringComparison.Ordinal);
        Assert.DoesNotContain("--pass", command, StringComparison.Ordinal);

        var healthy = await Tool.RunAsync("sh", ["-c", command], new Dictionary<string, string> { ["REDIS_MONITOR_PASSWORD_FILE"] = redis.MonitorPasswordFile });
        Assert.True(healthy.ExitCode == 0, healthy.All);

        var wrong = Path.Combine(redis.Folder, "wrong-password");
        await File.WriteAllTextAsync(wrong, "NotTheMonitorPassword123456");
        var unhealthy = await Tool.RunAsync("sh", ["-c", command], new Dictionary<string, string> { ["REDIS_MONITOR_PASSWORD_FILE"] = wrong });
        Assert.NotEqual(0, unhealthy.ExitCode);
    }
}
