using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Verification;
using StackExchange.Redis;

namespace SmsBridge.Tests.Backups;

[Collection(BackupGraphCollection.Name)]
public sealed class RedisSnapshotTests(BackupGraphFixture graph)
{
    [Fact]
    public async Task The_Redis_snapshot_loads_into_a_fresh_redis_server_with_the_same_keys()
    {
        var (services, backup, sourceKeys) = await graph.SharedBackupAsync();
        Assert.Equal(sourceKeys.Count, backup.Verification!.RedisKeys);

        var store = services.Get<BackupStore>();
        var entry = store.ReadManifest(backup.Id).Artefact("redis.rdb")!;
        var folder = await Deploy.Tool.ServiceUserFolderAsync("smsbridge-rdb-");
        await using (var file = File.Create(Path.Combine(folder, "dump.rdb")))
        {
            await services.Get<ArtefactReader>().DecryptToAsync(store.PathOf(backup.Id), entry, file, CancellationToken.None);
        }

        // Ready means it answered PING, so the snapshot has loaded; a server that refused it fails the start.
        var port = FreePorts.Next();
        await using var server = await ScratchRedis.StartAsync(new ScratchRedisOptions { Folder = folder, Port = port });
        var restoredKeys = await RedisContents.ReadAsync($"127.0.0.1:{port}");

        Assert.Equal(sourceKeys, restoredKeys);
        Assert.Equal("value-1", restoredKeys["backup-test:string"]);
        Assert.Equal("a=1,b=2", restoredKeys["backup-test:hash"]);
        Assert.Equal("x,y,z", restoredKeys["backup-test:list"]);
        Assert.Equal("soon", restoredKeys["backup-test:expiring"]);
    }
}

/// <summary>Every key of a Redis server with a text rendering of its value (strings, hashes and lists).</summary>
public static class RedisContents
{
    public static async Task<SortedDictionary<string, string>> ReadAsync(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AllowAdmin = true;
        options.AbortOnConnectFail = true;
        using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var db = redis.GetDatabase();
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in server.Keys(pattern: "*"))
        {
            result[key!] = await db.KeyTypeAsync(key) switch
            {
                RedisType.String => (string)(await db.StringGetAsync(key))!,
                RedisType.Hash => string.Join(',', (await db.HashGetAllAsync(key)).OrderBy(e => (string)e.Name!, StringComparer.Ordinal).Select(e => $"{e.Name}={e.Value}")),
                RedisType.List => string.Join(',', (await db.ListRangeAsync(key)).Select(v => (string)v!)),
                var type => type.ToString(),
            };
        }

        return result;
    }
}
