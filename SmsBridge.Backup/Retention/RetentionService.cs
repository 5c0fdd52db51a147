using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Catalogue;
using SmsBridge.Backup.Configuration;
using SmsBridge.Backup.Offsite;

namespace SmsBridge.Backup.Retention;

/// <summary>Applies <see cref="RetentionPolicy"/> to the local folder, the catalogue and every off-site target.</summary>
public sealed class RetentionService(BackupOptions options, BackupStore store, BackupCatalogue catalogue, OffsiteCopier offsite, TimeProvider time)
{
    public async Task<RetentionPlan> ApplyAsync(bool dryRun, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stored = store.List();
        var plan = RetentionPolicy.Plan(stored.Select(b => new RetentionCandidate(b.Id, b.Manifest.StartedAt, b.Verification?.Verified)), now, options.Retention);
        foreach (var (id, reason) in plan.Keep.OrderBy(k => k.Key, StringComparer.Ordinal)) progress.Report($"keep   {id}  ({reason})");
        foreach (var id in plan.Delete) progress.Report($"{(dryRun ? "would delete" : "delete")} {id}");
        if (dryRun) return plan;

        foreach (var id in plan.Delete)
        {
            store.Delete(id);
            if (catalogue.IsConfigured) await catalogue.DeleteAsync(id, cancellationToken);
        }

        var oldestKept = stored.Where(b => plan.Keep.ContainsKey(b.Id)).Select(b => (DateTimeOffset?)b.Manifest.StartedAt).Min();
        if (catalogue.IsConfigured && oldestKept is { } before) await catalogue.DeleteFailedBeforeAsync(before, cancellationToken);

        foreach (var target in offsite.Targets)
        {
            var copies = await target.ListAsync(cancellationToken);
            var remote = RetentionPolicy.Plan(copies.Select(id => new RetentionCandidate(id, BackupStore.TimestampOf(id), Verified: true)), now,
                options.Retention);
            foreach (var id in remote.Delete)
            {
                progress.Report($"delete off-site {target.Describe(id)}");
                await target.DeleteAsync(id, cancellationToken);
            }
        }

        return plan;
    }
}
