using System.Globalization;
using System.Text.RegularExpressions;

namespace SmsBridge.Tests.Deploy;

/// <summary>Redis 7 started by deploy/redis/entrypoint.sh with the generated redis.conf, as the container starts it.</summary>
public sealed class ProductionRedis() : ProductionServer("smsbridge-redis-")
{
    public const string AppPassword = "RedisAppPassw0rdForTheTestOnly";
    public const string MonitorPassword = "RedisMonitorPassw0rdForTheTest";

    private readonly int _port = FreePorts.Next();

    public int Port => _port;

    public string AppPasswordFile => Path.Combine(Folder, "cache-password");

    public string MonitorPasswordFile => Path.Combine(Folder, "redis-monitor-password");
    protected override async Task StartAsync()
    {
        // The generated file, pointed at this machine: a loopback port and temporary folders.
        var config = Repo.Read("deploy/redis/redis.conf");
        Assert.Contains("protected-mode yes", config, StringComparison.Ordinal);
        Assert.Contains("appendonly yes", config, StringComparison.Ordinal);
        config = Regex.Replace(config, @"(?m)^port .*$", "port " + _port.ToString(CultureInfo.InvariantCulture));
        config = Regex.Replace(config, @"(?m)^bind .*$", "bind 127.0.0.1");
        config = Regex.Replace(config, @"(?m)^dir .*$", "dir " + Folder);
        config = Regex.Replace(config, @"(?m)^aclfile .*$", $"aclfile {Folder}/users.acl");
        config = Regex.Replace(config, @"(?m)^logfile .*$", "logfile \"\"");
        var configPath = Path.Combine(Folder, "redis.conf");
        await File.WriteAllTextAsync(configPath, config);
        // The passwords as compose mounts them: secret files named by *_FILE, ending in a newline as an editor leaves them.
        await File.WriteAllTextAsync(AppPasswordFile, AppPassword + "\n");
        await File.WriteAllTextAsync(MonitorPasswordFile, MonitorPassword + "\n");
        Server = await ScratchRedis.StartAsync(new ScratchRedisOptions
        {
            Folder = Folder,
            Port = _port,
            Password = AppPassword,
            ReadyWithin = TimeSpan.FromSeconds(20),
            Command = new ProgramInvocation("/bin/sh", [Repo.PathOf("deploy/redis/entrypoint.sh")])
            {
                Environment = new Dictionary<string, string?>
                {
                    ["REDIS_PASSWORD_FILE"] = AppPasswordFile,
                    ["REDIS_MONITOR_PASSWORD_FILE"] = MonitorPasswordFile,
                    ["REDIS_ACL_DIR"] = Folder,
                    ["REDIS_CONF"] = configPath,
                    [EntrypointScripts.LibraryVariable] = EntrypointScripts.Library,
                },
            },
        });
    }

    public Task<ProgramResult> Cli(string? password, string? user, params string[] command)
    {
        List<string> arguments = ["--no-auth-warning", "-h", "127.0.0.1", "-p", _port.ToString(CultureInfo.InvariantCulture)];
        if (user is not null) arguments.AddRange(["--user", user]);
        if (password is not null) arguments.AddRange(["--pass", password]);
        return Tool.RunAsync("redis-cli", [.. arguments, .. command], timeout: TimeSpan.FromSeconds(10));
    }
}
