using SmsBridge.Backup.Configuration;
using SmsBridge.Processes;

namespace SmsBridge.Backup.Verification;

/// <summary>
/// The throwaway servers a backup is proven on, in this deployment's scratch folders: a PostgreSQL cluster of our own
/// on a Unix socket only (no TCP port) where we are superuser, so pg_restore and amcheck never touch the production
/// server and need no CREATE DATABASE right on it; a redis-server over the snapshot's RDB.
/// </summary>
internal static class VerificationServers
{
    public static async Task<ScratchPostgres> StartPostgresAsync(BackupOptions options, CancellationToken cancellationToken)
    {
        var folder = await ScratchFolder.CreateAsync(options, cancellationToken);
        return await ScratchPostgres.StartAsync(new ScratchPostgresOptions
        {
            Folder = folder.Path,
            RunAsUser = folder.Owner,
            InitDb = options.InitDb,
            Postgres = options.Postgres,
            // Speed over durability: the cluster lives for one check.
            ServerArguments =
            [
                "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off", "-c", "autovacuum=off",
                "-c", "max_connections=10", "-c", "shared_buffers=32MB",
            ],
        }, cancellationToken);
    }

    /// <summary>A redis-server over the RDB that <paramref name="writeRdb"/> writes; refused when the server rejects it.</summary>
    public static async Task<ScratchRedis> StartRedisAsync(BackupOptions options, Func<Stream, CancellationToken, Task> writeRdb,
        CancellationToken cancellationToken)
    {
        // The launcher deletes the folder from here on; until then a failed write does.
        var folder = await ScratchFolder.CreateAsync(options, cancellationToken);
        try
        {
            await using var file = new FileStream(Path.Combine(folder.Path, "dump.rdb"), new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            });
            await writeRdb(file, cancellationToken);
        }
        catch
        {
            folder.Dispose();
            throw;
        }

        try
        {
            return await ScratchRedis.StartAsync(new ScratchRedisOptions
            {
                Folder = folder.Path,
                RunAsUser = folder.Owner,
                RedisServer = options.RedisServer,
                RedisCli = options.RedisCli,
                ServerArguments = ["--loglevel", "warning"],
            }, cancellationToken);
        }
        catch (ScratchServerException)
        {
            throw new BackupVerificationException("The Redis snapshot did not load: redis-server rejected the RDB file.");
        }
    }
}
