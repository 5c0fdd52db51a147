namespace SmsBridge.Backup.Configuration;

/// <summary>The <c>Backup</c> configuration section (environment: <c>Backup__Schedule</c>, <c>Backup__Retention__Daily</c>, ...).</summary>
public sealed class BackupOptions
{
    public const string Section = "Backup";

    /// <summary>Where backups are written (the AppHost sets <c>Backup__Directory</c>).</summary>
    public string Directory { get; set; } = "";

    /// <summary>Five-field cron expression, UTC. Default: every 6 hours on the hour.</summary>
    public string Schedule { get; set; } = "0 */6 * * *";

    public RetentionOptions Retention { get; set; } = new();

    public OffsiteOptions Offsite { get; set; } = new();

    public string PostgresBinDirectory { get; set; } = "/usr/lib/postgresql/15/bin";

    public string RedisCli { get; set; } = "redis-cli";

    public string RedisServer { get; set; } = "redis-server";

    /// <summary>Account the throwaway verification servers run as when this process is root (initdb refuses root).</summary>
    public string? ScratchUser { get; set; }

    /// <summary>Parent folder of the throwaway verification servers; the system temp folder by default.</summary>
    public string? ScratchDirectory { get; set; }

    public int ChunkSize { get; set; } = 1 << 20;

    /// <summary>Whether a Redis snapshot is part of each backup (when <c>ConnectionStrings:cache</c> is set).</summary>
    public bool IncludeRedis { get; set; } = true;

    public string PgDump => Path.Combine(PostgresBinDirectory, "pg_dump");

    public string PgRestore => Path.Combine(PostgresBinDirectory, "pg_restore");

    public string Psql => Path.Combine(PostgresBinDirectory, "psql");

    public string InitDb => Path.Combine(PostgresBinDirectory, "initdb");

    public string Postgres => Path.Combine(PostgresBinDirectory, "postgres");

    /// <summary>The account for initdb/postgres when root: configured, else <c>smsbridge</c>, else <c>postgres</c>.</summary>
    public string ResolveScratchUser()
    {
        if (!string.IsNullOrEmpty(ScratchUser)) return ScratchUser;
        var accounts = File.ReadLines("/etc/passwd").Select(l => l.Split(':')[0]).ToHashSet(StringComparer.Ordinal);
        return accounts.Contains("smsbridge") ? "smsbridge" : "postgres";
    }
}

/// <summary>Grandfather-father-son: the newest verified backup of each of the last N days, ISO weeks and months.</summary>
public sealed class RetentionOptions
{
    /// <summary>The newest N verified backups, whatever their day (0 by default: plain GFS).</summary>
    public int Last { get; set; }

    public int Daily { get; set; } = 7;
    public int Weekly { get; set; } = 4;
    public int Monthly { get; set; } = 3;
}

public sealed class OffsiteOptions
{
    /// <summary>A mounted folder (NFS, USB disk) each verified backup is copied to.</summary>
    public string? Directory { get; set; }

    /// <summary>An rclone destination such as <c>s3-backups:smsbridge</c> (configured in rclone.conf or by <c>RCLONE_CONFIG_*</c>).</summary>
    public string? RcloneRemote { get; set; }

    /// <summary>The rclone.conf to use (kept 0600 beside the other secrets); rclone's own default when unset.</summary>
    public string? RcloneConfig { get; set; }

    public string Rclone { get; set; } = "rclone";
}
