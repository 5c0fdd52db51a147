using SmsBridge.Admin.Backups;

namespace SmsBridge.Admin.Doctor;

/// <summary>Backups: the newest verified one and the newest off-site copy young enough, and room on disk for the next one.</summary>
public sealed class BackupChecks(BackupService backups, DoctorOptions options, TimeProvider time) : IDoctorCheck
{
    public string Area => "backups";

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var recent = await backups.ListAsync(200, cancellationToken);
        var verified = recent.Where(b => b.VerifiedAt is not null).MaxBy(b => b.VerifiedAt);
        var offsite = recent.Where(b => b.Offsite is not null).MaxBy(b => b.FinishedAt);
        return
        [
            Age("backups.verified", "verified backup", verified?.VerifiedAt, options.BackupMaxAge, now, CheckStatus.Fail,
                "look at GET /admin/backups for the failed runs and the backup service's log; POST /admin/backups runs one now"),
            Age("backups.offsite", "off-site copy", offsite?.FinishedAt, options.OffsiteMaxAge, now, CheckStatus.Warn,
                "set Backup__Offsite__Directory or Backup__Offsite__RcloneRemote on the backup service, and check its log for the copy step"),
            Disk(recent.FirstOrDefault(b => b.SizeBytes is not null)?.SizeBytes),
        ];
    }

    private static CheckResult Age(string id, string what, DateTimeOffset? newest, TimeSpan maxAge, DateTimeOffset now, CheckStatus whenOld, string fix)
    {
        if (newest is not { } at) return new CheckResult(id, whenOld, $"no {what} at all", fix);
        var age = now - at;
        var evidence = $"newest {what} {at:u}, {Hours(age)} old (limit {Hours(maxAge)})";
        return age <= maxAge ? CheckResult.Pass(id, evidence) : new CheckResult(id, whenOld, evidence, fix);
    }

    /// <summary>The next backup needs about the last one's size; twice that free leaves room for the one after.</summary>
    private CheckResult Disk(long? lastSize)
    {
        if (options.BackupDirectory is not { Length: > 0 } folder || !Directory.Exists(folder))
        {
            return CheckResult.Warn("backups.disk", "the backup folder is not visible to this process",
                "set Doctor__BackupDirectory to the backup service's folder (mounted read-only) to check its free space");
        }

        var free = new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace;
        var needed = 2 * (lastSize ?? 0);
        var evidence = $"{free / 1_048_576} MiB free in {folder}; the last backup was {(lastSize ?? 0) / 1_048_576} MiB";
        return free > needed
            ? CheckResult.Pass("backups.disk", evidence)
            : CheckResult.Fail("backups.disk", evidence, "free disk space or lower Backup__Retention so old backups are pruned");
    }

    private static string Hours(TimeSpan span) => span.TotalHours >= 1 ? $"{span.TotalHours:0.#} h" : $"{span.TotalMinutes:0} min";
}
