using Npgsql;
using SmsBridge.Data.Inbox;
using SmsBridge.Data.Outbox;

namespace SmsBridge.Benchmarks.Costs;

/// <summary>
/// PostgreSQL's own counts, read as the superuser in the product's database: statements the services ran
/// (pg_stat_statements, the app role only, so the benchmark's queries are not in it), commits in the database
/// (pg_stat_database.xact_commit, everyone's: the benchmark counts its own transactions so they can be taken off),
/// and the inbox and outbox rows that say how many operations happened.
/// </summary>
public sealed class DatabaseCounters(NpgsqlDataSource superuser)
{
    private long _transactions;

    /// <summary>The module is preloaded by <c>AppHost:StatementStatistics=true</c>; its view needs the extension in this database.</summary>
    public async Task EnableStatementsAsync()
    {
        Interlocked.Increment(ref _transactions);
        await using var command = superuser.CreateCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        await command.ExecuteNonQueryAsync();
    }

    public async Task<DatabaseSample> ReadAsync()
    {
        // This transaction's own commit is not yet in xact_commit when it reads it, but is counted in _transactions already.
        var own = Interlocked.Increment(ref _transactions);
        await using var command = superuser.CreateCommand($"""
            SELECT (SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements
                    WHERE userid = 'smsbridge_app'::regrole AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())),
                   (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()),
                   ({Inbox.AcceptedCountSql}), ({Inbox.ValidatedCountSql}), ({Outbox.DeliveredCountSql}),
                   pg_snapshot_xmax(pg_current_snapshot())::text::bigint
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new DatabaseSample(reader.GetInt64(0), reader.GetInt64(1), own - 1, reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
            reader.GetInt64(5));
    }

    public async Task<long> PendingAsync()
    {
        Interlocked.Increment(ref _transactions);
        await using var command = superuser.CreateCommand(Inbox.PendingCountSql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>
/// Cumulative counts at one moment. <see cref="OwnTransactions"/> is how many of <see cref="Commits"/> the benchmark's own
/// reads made (the read that took this sample not yet among them). Backends flush their commit counts to pg_stat_database
/// at most once a second (an idle one after 10 s), so a window's commits are exact to about a second's worth at each end.
/// <see cref="NextTransactionId"/> is exact at once: the transaction ids handed out so far, one per transaction that wrote
/// (read-only ones, the benchmark's reads among them, take none).
/// </summary>
public sealed record DatabaseSample(long Statements, long Commits, long OwnTransactions, long Accepted, long Validated, long Delivered,
    long NextTransactionId);
