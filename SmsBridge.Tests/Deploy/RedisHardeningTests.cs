using System.Globalization;

namespace SmsBridge.Tests.Deploy;

/// <summary>The generated redis.conf and the ACL entrypoint, run for real as the container runs them.</summary>
public sealed class RedisHardeningTests : IAsyncLifetime
{
    private const string AppPassword = "RedisAppPassw0rdForTheTestOnly";
    private const string MonitorPassword = "RedisMonitorPassw0rdForTheTest";

    private readonly int _port = Tool.FreePort();
    private string _folder = "";
    private System.Diagnostics.Process? _server;

    public async Task InitializeAsync()
    {
        _folder = await Tool.ServiceUserFolderAsync("smsbridge-redis-");
        Assert.Contains("protected-mode yes", Repo.Read("deploy/redis/redis.conf"), StringComparison.Ordinal);
        // The generated file, with the places that differ on this machine overridden on the command line.
        _server = Tool.StartAsServiceUser("/bin/sh", [Repo.PathOf("deploy/redis/entrypoint.sh"),
            "--port", _port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _folder, "--logfile", "",
            "--aclfile", Path.Combine(_folder, "users.acl")],
            new Dictionary<string, string>
            {
                ["REDIS_PASSWORD"] = AppPassword,
                ["REDIS_MONITOR_PASSWORD"] = MonitorPassword,
                ["REDIS_ACL_DIR"] = _folder,
                ["REDIS_CONF"] = Repo.PathOf("deploy/redis/redis.conf"),
            });
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await Cli(AppPassword, null, "PING")).Output.Trim() != "PONG")
        {
            Assert.True(DateTime.UtcNow < deadline, "redis did not start");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await Tool.StopAsync(_server);
        if (_folder.Length > 0) Directory.Delete(_folder, recursive: true);
    }

    private Task<Tool.Result> Cli(string? password, string? user, params string[] command)
    {
        List<string> arguments = ["--no-auth-warning", "-h", "127.0.0.1", "-p", _port.ToString(CultureInfo.InvariantCulture)];
        if (user is not null) arguments.AddRange(["--user", user]);
        if (password is not null) arguments.AddRange(["--pass", password]);
        return Tool.RunAsync("redis-cli", [.. arguments, .. command], timeout: TimeSpan.FromSeconds(10));
    }

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

        var refused = await Tool.RunAsync("/bin/sh", [Repo.PathOf("deploy/redis/entrypoint.sh")],
            new Dictionary<string, string> { ["REDIS_PASSWORD"] = "", ["REDIS_MONITOR_PASSWORD"] = MonitorPassword });
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("REDIS_PASSWORD is empty", refused.Error, StringComparison.Ordinal);
    }
}
