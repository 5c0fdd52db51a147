using Npgsql;
using SmsBridge.Admin.Auditing;
using SmsBridge.Data.Recovery;

namespace SmsBridge.Admin.Operations;

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
            var filed = await RecoveryRequests.FileAsync(change.Transaction, actor.Name, time.GetUtcNow(), cancellationToken);
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

    public Task<RecoveryResult> GetAsync(long id, CancellationToken cancellationToken) => RecoveryRequests.GetAsync(dataSource, id, cancellationToken);
}
