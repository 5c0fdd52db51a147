using System.Diagnostics;
using SmsBridge.Benchmarks.Footprint;
using SmsBridge.Benchmarks.Load;

namespace SmsBridge.Benchmarks.Costs;

/// <summary>
/// Takes the snapshots a window is measured between: CPU per process from /proc, PostgreSQL's and Redis's own counters.
/// At a window's start the counters are read before the CPU, at its end after it, so the reads' own work stays outside.
/// </summary>
public sealed class CostMeter(ResourceMonitor monitor, DatabaseCounters database, RedisCounters redis)
{
    public async Task<CostSnapshot> StartAsync(LoadGeneratorPids? load = null)
    {
        var db = await database.ReadAsync();
        var calls = await redis.ReadAsync();
        return new CostSnapshot(Stopwatch.GetTimestamp(), monitor.CpuSeconds(load?.Process), WatcherCpu(load), db, calls);
    }

    public async Task<CostSnapshot> EndAsync(LoadGeneratorPids? load = null)
    {
        var at = Stopwatch.GetTimestamp();
        var cpu = monitor.CpuSeconds(load?.Process);
        var watcher = WatcherCpu(load);
        return new CostSnapshot(at, cpu, watcher, await database.ReadAsync(), await redis.ReadAsync());
    }

    /// <summary>The load generator's own PostgreSQL backend (its outcome watcher), to be taken off PostgreSQL's CPU.</summary>
    private static double WatcherCpu(LoadGeneratorPids? load) =>
        load?.PostgresBackend is { } pid && ProcessTree.Ticks(pid) is { } ticks ? ticks.Own / ProcessTable.ClockTicksPerSecond : 0;

    /// <summary>What the product did between two snapshots; <paramref name="loadGeneratorTransactions"/> are the load generator's own.</summary>
    public static WindowCost Between(CostSnapshot start, CostSnapshot end, long loadGeneratorTransactions = 0)
    {
        var cpu = end.CpuSeconds.ToDictionary(c => c.Key, c => c.Value - start.CpuSeconds.GetValueOrDefault(c.Key), StringComparer.Ordinal);
        if (cpu.ContainsKey("postgres")) cpu["postgres"] -= end.WatcherCpuSeconds - start.WatcherCpuSeconds;
        var redis = end.RedisCalls.ToDictionary(c => c.Key, c => c.Value - start.RedisCalls.GetValueOrDefault(c.Key), StringComparer.Ordinal);
        var (a, b) = (start.Database, end.Database);
        return new WindowCost(
            Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds,
            cpu,
            b.Statements - a.Statements,
            b.Commits - a.Commits - (b.OwnTransactions - a.OwnTransactions) - loadGeneratorTransactions,
            b.NextTransactionId - a.NextTransactionId,
            redis.Values.Sum(),
            redis.Where(c => RedisCounters.IsScript(c.Key)).Sum(c => c.Value),
            b.Accepted - a.Accepted,
            b.Validated - a.Validated,
            b.Delivered - a.Delivered);
    }
}

public sealed record CostSnapshot(long Timestamp, IReadOnlyDictionary<string, double> CpuSeconds, double WatcherCpuSeconds,
    DatabaseSample Database, IReadOnlyDictionary<string, long> RedisCalls);

/// <summary>
/// The product's work in one window: CPU seconds per process (PostgreSQL's without the load generator's backend),
/// statements the services ran, commits in their database, write transactions (transaction ids handed out), Redis commands (and how many were Lua scripts), and the
/// SMS accepted, SMS given an outcome and webhooks delivered in it.
/// </summary>
public sealed record WindowCost(double Seconds, IReadOnlyDictionary<string, double> CpuSeconds, long Statements, long Commits,
    long WriteTransactions, long RedisCommands, long RedisScripts, long Accepted, long Validated, long Delivered)
{
    public double PostgresCpuSeconds => CpuSeconds.GetValueOrDefault("postgres");

    /// <summary>This window's work divided over <paramref name="count"/> operations.</summary>
    public UnitCost Per(double count) => new(count, Statements / count, Commits / count, WriteTransactions / count,
        1000 * PostgresCpuSeconds / count, RedisCommands / count, RedisScripts / count);
}

/// <summary>
/// The cost of one operation: statements, commits, write transactions, PostgreSQL CPU-ms, Redis commands and, among them,
/// Lua scripts.
/// </summary>
public sealed record UnitCost(double Operations, double Statements, double Commits, double WriteTransactions, double PostgresCpuMs,
    double RedisCommands, double RedisScripts)
{
    public UnitCost Minus(UnitCost other) => Plus(other.Times(-1));

    public UnitCost Plus(UnitCost other) => new(Operations, Statements + other.Statements, Commits + other.Commits,
        WriteTransactions + other.WriteTransactions, PostgresCpuMs + other.PostgresCpuMs, RedisCommands + other.RedisCommands,
        RedisScripts + other.RedisScripts);

    public UnitCost Times(double factor) => new(Operations, Statements * factor, Commits * factor, WriteTransactions * factor,
        PostgresCpuMs * factor, RedisCommands * factor, RedisScripts * factor);
}
