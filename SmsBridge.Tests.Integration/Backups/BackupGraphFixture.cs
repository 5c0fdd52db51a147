using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SmsBridge.Backup.Catalogue;
using SmsBridge.Backup.Running;
using StackExchange.Redis;

namespace SmsBridge.Tests.Backups;

/// <summary>
/// One running graph (real PostgreSQL 15, Redis 7 and the three services) for the backup tests, which run one
/// after another since restores replace the live database. Each test builds the backup services in-process
/// over the graph's connection strings, with its own backup folder and key.
/// </summary>
public sealed class BackupGraphFixture : IAsyncLifetime
{
    public DistributedApplication App { get; private set; } = null!;

    public string AppConnection { get; private set; } = "";
    public string OwnerConnection { get; private set; } = "";
    public string BackupRoleConnection { get; private set; } = "";
    public string SuperuserConnection { get; private set; } = "";
    public string Cache { get; private set; } = "";

    public async Task InitializeAsync()
    {
        App = await TestGraph.StartAsync();
        AppConnection = (await App.GetConnectionStringAsync("smsbridge"))!;
        OwnerConnection = (await App.GetConnectionStringAsync("smsbridge-migrations"))!;
        BackupRoleConnection = (await App.GetConnectionStringAsync("smsbridge-backup"))!;
        SuperuserConnection = (await App.GetConnectionStringAsync("postgres"))! + ";Database=smsbridge";
        Cache = (await App.GetConnectionStringAsync("cache"))!;
    }

    public async Task DisposeAsync()
    {
        if (_shared is not null) await _shared.DisposeAsync();
        _sharedLock.Dispose();
        await App.DisposeAsync();
    }

    private readonly SemaphoreSlim _sharedLock = new(1, 1);
    private BackupServices? _shared;
    private SharedBackup? _sharedBackup;

    /// <summary>
    /// One verified backup (with known Redis keys in it) that tests which only read a backup share, so the
    /// suite takes fewer backups. Tests that change it work on a copy.
    /// </summary>
    public async Task<SharedBackup> SharedBackupAsync()
    {
        await _sharedLock.WaitAsync();
        try
        {
            if (_sharedBackup is not null) return _sharedBackup;
            using (var redis = await ConnectionMultiplexer.ConnectAsync(Cache))
            {
                var db = redis.GetDatabase();
                await db.StringSetAsync("backup-test:string", "value-1");
                await db.StringSetAsync("backup-test:expiring", "soon", TimeSpan.FromHours(1));
                await db.HashSetAsync("backup-test:hash", [new HashEntry("a", "1"), new HashEntry("b", "2")]);
                await db.ListRightPushAsync("backup-test:list", ["x", "y", "z"]);
            }

            await BackupTestData.SeedAsync(OwnerConnection, "999", 10);
            _shared = CreateServices();
            var redisKeys = await RedisContents.ReadAsync(Cache);
            var backup = await BackupServices.WhenLockFreeAsync(() => _shared.Get<BackupRunner>().RunAsync("manual", ProgressLines.None, CancellationToken.None));
            Assert.True(backup.Verified, backup.Error);
            return _sharedBackup = new SharedBackup(_shared, backup, redisKeys);
        }
        finally
        {
            _sharedLock.Release();
        }
    }

    /// <summary>The backup services as the worker and CLI compose them, over this graph, with a fresh folder and key.</summary>
    public BackupServices CreateServices(Action<Dictionary<string, string?>>? configure = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "smsbridge-backup-tests", Guid.NewGuid().ToString("N")[..10]);
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:smsbridge"] = AppConnection,
            ["ConnectionStrings:smsbridge-backup"] = BackupRoleConnection,
            ["ConnectionStrings:smsbridge-restore"] = OwnerConnection,
            ["ConnectionStrings:cache"] = Cache,
            ["Secrets:BackupEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Backup:Directory"] = directory,
            // Small chunks so even a small dump spans many of them.
            ["Backup:ChunkSize"] = "4096",
        };
        configure?.Invoke(configuration);
        return new BackupServices(configuration, directory);
    }
}

/// <summary>The shared backup, the services (folder, key) it was taken with, and the Redis keys it should hold.</summary>
public sealed record SharedBackup(BackupServices Services, BackupRunResult Backup, SortedDictionary<string, string> RedisKeys);

public sealed class BackupServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public BackupServices(Dictionary<string, string?> configuration, string directory)
    {
        Configuration = configuration;
        Directory = directory;
        var config = new ConfigurationBuilder().AddInMemoryCollection(configuration).Build();
        _provider = new ServiceCollection().AddLogging().AddBackups(config).BuildServiceProvider();
    }

    public Dictionary<string, string?> Configuration { get; }

    public string Directory { get; }

    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    /// <summary>Runs an operation that takes the backup lock, waiting while the graph's own worker holds it.</summary>
    public static async Task<T> WhenLockFreeAsync<T>(Func<Task<T>> operation)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                return await operation();
            }
            catch (BackupBusyException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class BackupGraphCollection : ICollectionFixture<BackupGraphFixture>
{
    public const string Name = "backups";
}
