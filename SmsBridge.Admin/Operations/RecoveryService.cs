using Npgsql;
using SmsBridge.Admin.Auditing;

namespace SmsBridge.Admin.Operations;

public sealed record RecoveryResult(long RequestId, string Status, int? Requeued, DateTimeOffset RequestedAt, DateTimeOffset? FinishedAt, string? Error);

/// <summary>
/// Re-drives dead-lettered hand-offs: files a durable <c>recovery_requests</c> row with its audit row (on commit, the table's
/// trigger wakes the receiver's delivery worker), then waits a little for the worker's answer so a script usually gets the
/// result in one call. What the worker then does is the worker's own record, in the request row.
/// </summary>
public sealed class RecoveryService(NpgsqlDataSource dataSource, AdminChanges changes, TimeProvider time)
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public async Task<RecoveryResult> TriggerAsync(Actor actor, CancellationToken cancellationToken)
    {
        var id = (await changes.RunAsync<long>(actor, async change =>
        {
            await using var insert = change.Command("INSERT INTO recovery_requests (requested_by, requested_at) VALUES ($1, $2) RETURNING id");
            insert.Parameters.Add(new() { Value = actor.Name });
            insert.Parameters.Add(new() { Value = time.GetUtcNow().UtcDateTime });
            var filed = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
            change.Audit("recovery.triggered", $"recovery request {filed}");
            return filed;
        }, cancellationToken)).Value;
        var deadline = time.GetUtcNow() + Wait;
        while (true)
        {
            var result = await GetAsync(id, cancellationToken);
            if (result.Status != "pending" || time.GetUtcNow() >= deadline) return result;
            await Task.Delay(Poll, time, cancellationToken);
        }
    }

    public async Task<RecoveryResult> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, status, requeued, requested_at, finished_at, error FROM recovery_requests WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new RecoveryResult(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt32(2),
            new DateTimeOffset(reader.GetDateTime(3), TimeSpan.Zero), reader.IsDBNull(4) ? null : new DateTimeOffset(reader.GetDateTime(4), TimeSpan.Zero),
            reader.IsDBNull(5) ? null : reader.GetString(5));
    }
}
