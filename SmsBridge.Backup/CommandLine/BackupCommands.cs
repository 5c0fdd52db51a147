using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Catalogue;
using SmsBridge.Backup.Configuration;
using SmsBridge.Backup.Restoring;
using SmsBridge.Backup.Retention;
using SmsBridge.Backup.Running;

namespace SmsBridge.Backup.CommandLine;

/// <summary>The five commands; each one is a thin shell over the services the worker uses too.</summary>
internal static class BackupCommands
{
    public static Command Backup(CommandContext context)
    {
        var now = new Command("now", "Take a backup now (database dump, Redis snapshot, settings), verify it by a real restore, copy it off-site and apply retention.");
        now.SetAction((_, ct) => context.RunAsync(async (services, token) =>
        {
            var result = await services.GetRequiredService<BackupRunner>().RunAsync("manual", ProgressLines.To(context.Output), token);
            await context.Output.WriteLineAsync(result.Verified
                ? $"Backup {result.Id} verified ({Size(result.SizeBytes)}, {result.DurationSeconds:0.0} s)."
                : $"Backup {result.Id} FAILED at {result.Stage}: {result.Error}");
            return result.Verified ? BackupCommandLine.Ok : BackupCommandLine.Failed;
        }, ct));
        return new Command("backup", "Take backups.") { now };
    }

    public static Command List(CommandContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("list", "List the backups on disk (and failed runs from the catalogue), oldest first.") { json };
        command.SetAction((parse, ct) => context.RunAsync(async (services, token) =>
        {
            var store = services.GetRequiredService<BackupStore>();
            var rows = store.List().Select(b => new ListedBackup(b.Id, b.Manifest.Kind, b.Manifest.StartedAt, b.SizeBytes,
                b.Verification switch { { Verified: true } => "verified", { Verified: false } => "failed", null => "unverified" },
                b.Manifest.Database?.Tables.Sum(t => t.Rows), b.Verification?.Error)).ToList();
            var catalogue = services.GetRequiredService<BackupCatalogue>();
            if (catalogue.IsConfigured)
            {
                try
                {
                    var onDisk = rows.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
                    rows.AddRange((await catalogue.ListAsync(token)).Where(e => e.Status == "failed" && !onDisk.Contains(e.Id))
                        .Select(e => new ListedBackup(e.Id, e.Kind, e.StartedAt, e.SizeBytes ?? 0, "failed", null, e.Error)));
                }
                catch (Npgsql.NpgsqlException ex)
                {
                    await context.Output.WriteLineAsync($"(catalogue unreachable, showing the folder only: {ex.Message})");
                }
            }

            rows = [.. rows.OrderBy(r => r.StartedAt)];
            if (parse.GetValue(json))
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(rows, BackupManifest.Json));
                return BackupCommandLine.Ok;
            }

            await context.Output.WriteLineAsync($"{"ID",-22} {"KIND",-9} {"STARTED (UTC)",-19} {"SIZE",10} {"STATUS",-10} {"ROWS",8}");
            foreach (var row in rows)
            {
                await context.Output.WriteLineAsync(
                    $"{row.Id,-22} {row.Kind,-9} {row.StartedAt.UtcDateTime,-19:yyyy-MM-dd HH:mm:ss} {Size(row.SizeBytes),10} {row.Status,-10} {row.Rows,8}" +
                    (row.Error is null ? "" : $"  {row.Error}"));
            }

            await context.Output.WriteLineAsync($"{rows.Count} backups in {store.Root}");
            return BackupCommandLine.Ok;
        }, ct));
        return command;
    }

    public static Command Verify(CommandContext context)
    {
        var id = new Argument<string>("id") { Description = "The backup to verify (see 'list')." };
        var command = new Command("verify", "Check a backup's hashes, decrypt it, restore it into a throwaway PostgreSQL, compare every table with its manifest and run amcheck.") { id };
        command.SetAction((parse, ct) => context.RunAsync(async (services, token) =>
        {
            var result = await services.GetRequiredService<BackupVerification>().VerifyAsync(parse.GetRequiredValue(id), ProgressLines.To(context.Output), token);
            await context.Output.WriteLineAsync(result.Verified ? "Verified." : $"NOT verified: {result.Error}");
            return result.Verified ? BackupCommandLine.Ok : BackupCommandLine.Failed;
        }, ct));
        return command;
    }

    public static Command Restore(CommandContext context)
    {
        var id = new Argument<string>("id") { Description = "The backup to restore (see 'list')." };
        var target = new Option<string>("--target") { Description = "The database to restore into (it is replaced). Connected to as its owner: ConnectionStrings__smsbridge-restore.", Required = true };
        var confirm = new Option<string?>("--confirm") { Description = "The target database's name again, for scripts; otherwise you are asked to type it." };
        var command = new Command("restore", "Restore a backup into a database: checks it, takes a verified safety backup of the target, restores in one transaction, then verifies every table. The Redis snapshot is written out with instructions.")
        {
            id, target, confirm,
        };
        command.SetAction((parse, ct) => context.RunAsync(async (services, token) =>
        {
            var database = parse.GetRequiredValue(target);
            if (!await ConfirmedAsync(context, database, parse.GetValue(confirm))) return BackupCommandLine.Refused;
            var connection = services.GetRequiredService<BackupConnections>().RestoreTarget(database);
            var result = await services.GetRequiredService<BackupRestorer>().RestoreAsync(parse.GetRequiredValue(id), connection,
                ProgressLines.To(context.Output), token);
            await context.Output.WriteLineAsync(
                $"Restored {result.BackupId} into {result.TargetDatabase}: {result.TablesChecked} tables match the backup. Safety backup of the previous state: {result.SafetyBackupId}.");
            return BackupCommandLine.Ok;
        }, ct));
        return command;
    }

    public static Command Prune(CommandContext context)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Only show what retention would keep and delete." };
        var command = new Command("prune", "Apply retention (7 daily, 4 weekly, 3 monthly by default) to the folder, the catalogue and off-site copies; never deletes the newest verified backup.") { dryRun };
        command.SetAction((parse, ct) => context.RunAsync(async (services, token) =>
        {
            await using var held = await services.GetRequiredService<BackupLockProvider>().AcquireAsync(token);
            var plan = await services.GetRequiredService<RetentionService>().ApplyAsync(parse.GetValue(dryRun), ProgressLines.To(context.Output), token);
            await context.Output.WriteLineAsync($"{plan.Keep.Count} kept, {plan.Delete.Count} {(parse.GetValue(dryRun) ? "would be deleted (dry run)" : "deleted")}.");
            return BackupCommandLine.Ok;
        }, ct));
        return command;
    }

    private static async Task<bool> ConfirmedAsync(CommandContext context, string database, string? confirmation)
    {
        if (confirmation is null)
        {
            if (context.Input is null)
            {
                await context.Output.WriteLineAsync($"refused: no terminal to confirm on; pass --confirm {database} to restore non-interactively.");
                return false;
            }

            await context.Output.WriteAsync($"This REPLACES the contents of database '{database}'. Type its name to confirm: ");
            confirmation = (await context.Input.ReadLineAsync())?.Trim();
        }

        if (confirmation == database) return true;
        await context.Output.WriteLineAsync($"refused: '{confirmation}' is not '{database}'; nothing was changed.");
        return false;
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1 << 30 => $"{bytes / (double)(1 << 30):0.0} GiB",
        >= 1 << 20 => $"{bytes / (double)(1 << 20):0.0} MiB",
        _ => $"{bytes / 1024.0:0.0} KiB",
    };

    private sealed record ListedBackup(string Id, string Kind, DateTimeOffset StartedAt, long SizeBytes, string Status, long? Rows, string? Error);
}
