using Npgsql;

namespace SmsBridge.Tests.Admin;

/// <summary>
/// A test-only trigger that makes PostgreSQL refuse the audit rows matching <c>condition</c>: the change's own SQL has run by
/// then, in the same transaction, so this is a change failing at its last step. Created with the owner role (the app role
/// may not add triggers) and dropped on dispose.
/// </summary>
public sealed class AuditRefusal : IAsyncDisposable
{
    private readonly NpgsqlDataSource _owner;
    private readonly string _name;

    private AuditRefusal(NpgsqlDataSource owner, string name) => (_owner, _name) = (owner, name);

    /// <param name="condition">A trigger <c>WHEN</c> condition on <c>NEW</c>, built by the test from its own literals.</param>
    public static async Task<AuditRefusal> CreateAsync(DistributedApplication app, string condition)
    {
        var owner = NpgsqlDataSource.Create((await app.GetConnectionStringAsync("smsbridge-migrations"))!);
        var refusal = new AuditRefusal(owner, "tests_refuse_audit_" + Guid.NewGuid().ToString("N")[..12]);
        await using var batch = owner.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            CREATE FUNCTION {refusal._name}() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'audit row refused by a test'; END $$
            """));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            $"CREATE TRIGGER {refusal._name} BEFORE INSERT ON audit_events FOR EACH ROW WHEN ({condition}) EXECUTE FUNCTION {refusal._name}()"));
        await batch.ExecuteNonQueryAsync();
        return refusal;
    }

    public async ValueTask DisposeAsync()
    {
        await using (var batch = _owner.CreateBatch())
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"DROP TRIGGER IF EXISTS {_name} ON audit_events"));
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"DROP FUNCTION IF EXISTS {_name}()"));
            await batch.ExecuteNonQueryAsync();
        }

        await _owner.DisposeAsync();
    }
}
