using Npgsql;
using SmsBridge.Data.Audit;

namespace SmsBridge.Admin.Auditing;

/// <summary>
/// Runs one admin change and its audit rows in one PostgreSQL transaction: the change's SQL runs on
/// <see cref="AdminChange.Transaction"/>, it names what happened with <see cref="AdminChange.Audit"/>, and both commit
/// together. A refused change (a <see cref="Failure"/>) or any exception rolls everything back, so the trail never claims a
/// change that is not stored and no change is stored without its row.
/// </summary>
public sealed class AdminChanges(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<Outcome<T>> RunAsync<T>(Actor actor, Func<AdminChange, Task<Outcome<T>>> change, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var unit = new AdminChange(transaction, actor, time);
        var outcome = await change(unit);
        if (!outcome.Succeeded) return outcome; // disposing the transaction rolls it back

        if (unit.Events.Count == 0) throw new InvalidOperationException("An admin change must say what it did: call Audit before it returns.");
        await AuditLog.InsertAsync(connection, transaction, unit.Events, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return outcome;
    }
}

/// <summary>One change in progress: its transaction, and the audit rows that commit with it.</summary>
public sealed class AdminChange(NpgsqlTransaction transaction, Actor actor, TimeProvider time)
{
    private readonly List<AuditEvent> _events = [];

    public NpgsqlTransaction Transaction { get; } = transaction;

    public IReadOnlyCollection<AuditEvent> Events => _events;

    /// <summary>A command on the change's connection and transaction.</summary>
    public NpgsqlCommand Command(string sql) => new(sql, Transaction.Connection, Transaction);

    /// <summary>Records what the change did, by the acting operator; stored only if the change commits.</summary>
    public void Audit(string eventType, string? subject, IReadOnlyDictionary<string, object?>? details = null) =>
        _events.Add(new AuditEvent(time.GetUtcNow(), eventType, actor.Name, actor.SourceAddress, subject, details));
}
