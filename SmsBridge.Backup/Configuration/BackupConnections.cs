using Microsoft.Extensions.Configuration;
using SmsBridge.Backup.Tools;

namespace SmsBridge.Backup.Configuration;

/// <summary>
/// The connections the backup worker uses, each for one job: the app role for the catalogue
/// (<c>smsbridge</c>), the read-only backup role for dumps (<c>smsbridge-backup</c>), the database owner for
/// restores (<c>smsbridge-restore</c>, else <c>smsbridge-migrations</c>), and Redis (<c>cache</c>).
/// </summary>
public sealed class BackupConnections(IConfiguration configuration)
{
    public string? Catalogue { get; } = configuration.GetConnectionString("smsbridge");

    public string? Source { get; } = configuration.GetConnectionString("smsbridge-backup") ?? configuration.GetConnectionString("smsbridge");

    public string? Restore { get; } = configuration.GetConnectionString("smsbridge-restore") ?? configuration.GetConnectionString("smsbridge-migrations");

    public string? Redis { get; } = configuration.GetConnectionString("cache");

    public PostgresTarget SourceTarget() => new(Source ?? throw new InvalidOperationException(
        "ConnectionStrings:smsbridge-backup is missing: set ConnectionStrings__smsbridge-backup to the read-only backup role's connection string."));

    /// <summary>The owner's connection to <paramref name="database"/> (the same server and role as the restore connection).</summary>
    public PostgresTarget RestoreTarget(string? database = null)
    {
        var target = new PostgresTarget(Restore ?? throw new InvalidOperationException(
            "A restore needs the database owner's connection: set ConnectionStrings__smsbridge-restore " +
            "(e.g. Host=...;Username=smsbridge_owner;Password=...;Database=smsbridge)."));
        return database is null ? target : target.WithDatabase(database);
    }
}
