namespace SmsBridge.Backup.Catalogue;

/// <summary>
/// The <c>backup_slots</c> table: one row per scheduled slot, inserted by the worker that runs it. Several workers on one
/// database therefore run each slot once (a claim, not a race for the backup lock that a quick first run would lose).
/// </summary>
public sealed class BackupSlots(BackupCatalogue catalogue)
{
    /// <summary>True when this worker claimed <paramref name="slot"/>; false when another worker already had it.</summary>
    public async Task<bool> TryClaimAsync(DateTimeOffset slot, string worker, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = catalogue.DataSource.CreateCommand(
            "INSERT INTO backup_slots (slot, claimed_by, claimed_at) VALUES ($1, $2, $3) ON CONFLICT (slot) DO NOTHING");
        command.Parameters.Add(new() { Value = slot.UtcDateTime });
        command.Parameters.Add(new() { Value = worker });
        command.Parameters.Add(new() { Value = now.UtcDateTime });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
