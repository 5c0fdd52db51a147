using System.Security.Cryptography;
using System.Text;
using Npgsql;
using SmsBridge.Admin.Auditing;
using SmsBridge.Data.Backups;
using SmsBridge.ServiceDefaults.Web;

namespace SmsBridge.Admin.Backups;

/// <summary>
/// Reads the backup catalogue and files durable requests for the backup worker. A restore takes two calls: the first
/// returns a single-use token bound to the backup and the operator, valid for <see cref="ConfirmationLifetime"/>; the
/// second, with the token, files the request. Each request (and each issued token) commits with its audit row; the worker
/// records what it then did in the request row.
/// </summary>
public sealed class BackupService(NpgsqlDataSource dataSource, AdminChanges changes, TimeProvider time)
{
    public static readonly TimeSpan ConfirmationLifetime = TimeSpan.FromMinutes(5);

    public Task<List<BackupRecord>> ListAsync(int limit, CancellationToken cancellationToken) =>
        BackupCatalogueRows.ListAsync(dataSource, limit, cancellationToken);

    public Task<List<BackupRequest>> RequestsAsync(int limit, CancellationToken cancellationToken) =>
        BackupRequests.ListAsync(dataSource, limit, cancellationToken);

    public async Task<BackupRequest> RequestBackupAsync(Actor actor, CancellationToken cancellationToken) =>
        (await changes.RunAsync<BackupRequest>(actor, async change =>
        {
            var request = await InsertRequestAsync(change, "backup", null, actor, cancellationToken);
            change.Audit("backup.requested", $"backup request {request.Id}");
            return request;
        }, cancellationToken)).Value!;

    public async Task<Outcome<BackupRequest>> RequestVerifyAsync(string backupId, Actor actor, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(backupId, cancellationToken)) return Failure.NotFound("There is no backup with this id.");
        return await changes.RunAsync<BackupRequest>(actor, async change =>
        {
            var request = await InsertRequestAsync(change, "verify", backupId, actor, cancellationToken);
            change.Audit("backup.verify_requested", backupId, new Dictionary<string, object?> { ["request_id"] = request.Id });
            return request;
        }, cancellationToken);
    }

    /// <summary>Step one of a restore: a confirmation token for this backup and this operator.</summary>
    public async Task<Outcome<RestoreConfirmation>> ConfirmRestoreAsync(string backupId, Actor actor, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(backupId, cancellationToken)) return Failure.NotFound("There is no backup with this id.");
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        var now = time.GetUtcNow();
        var expires = now + ConfirmationLifetime;
        return await changes.RunAsync<RestoreConfirmation>(actor, async change =>
        {
            await using var command = change.Command("""
                INSERT INTO restore_confirmations (token_hash, backup_id, issued_to, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5)
                """);
            command.Parameters.Add(new() { Value = Hash(token) });
            command.Parameters.Add(new() { Value = backupId });
            command.Parameters.Add(new() { Value = actor.Name });
            command.Parameters.Add(new() { Value = now.UtcDateTime });
            command.Parameters.Add(new() { Value = expires.UtcDateTime });
            await command.ExecuteNonQueryAsync(cancellationToken);
            change.Audit("backup.restore_confirmation_issued", backupId, new Dictionary<string, object?> { ["expires_at"] = expires });
            return new RestoreConfirmation(backupId, token, expires,
                "Restoring replaces the live database with this backup (a safety backup is taken first). " +
                $"To go ahead, send this confirmation_token to the same endpoint within {ConfirmationLifetime.TotalMinutes:0} minutes.");
        }, cancellationToken);
    }

    /// <summary>Step two: the token is used up and the restore request filed, with its audit row, in one transaction.</summary>
    public Task<Outcome<BackupRequest>> RequestRestoreAsync(string backupId, string token, Actor actor, CancellationToken cancellationToken) =>
        changes.RunAsync<BackupRequest>(actor, async change =>
        {
            await using (var use = change.Command("""
                UPDATE restore_confirmations SET used_at = $4
                WHERE token_hash = $1 AND backup_id = $2 AND issued_to = $3 AND used_at IS NULL AND expires_at > $4
                """))
            {
                use.Parameters.Add(new() { Value = Hash(token) });
                use.Parameters.Add(new() { Value = backupId });
                use.Parameters.Add(new() { Value = actor.Name });
                use.Parameters.Add(new() { Value = time.GetUtcNow().UtcDateTime });
                if (await use.ExecuteNonQueryAsync(cancellationToken) != 1)
                {
                    return new Failure(StatusCodes.Status400BadRequest, ErrorCodes.ConfirmationInvalid,
                        "The confirmation token is unknown, used, expired, or for another backup or operator. Ask for a new one.",
                        "confirmation_token");
                }
            }

            var request = await InsertRequestAsync(change, "restore", backupId, actor, cancellationToken);
            change.Audit("backup.restore_requested", backupId, new Dictionary<string, object?> { ["request_id"] = request.Id });
            return request;
        }, cancellationToken);

    private Task<bool> ExistsAsync(string backupId, CancellationToken cancellationToken) =>
        BackupCatalogueRows.ExistsAsync(dataSource, backupId, cancellationToken);

    private Task<BackupRequest> InsertRequestAsync(AdminChange change, string kind, string? backupId, Actor actor,
        CancellationToken cancellationToken) =>
        BackupRequests.FileAsync(change.Transaction, kind, backupId, actor.Name, time.GetUtcNow(), cancellationToken);

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
