using System.Text.Json;
using Npgsql;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SmsBridge.Benchmarks.Ceilings;
using SmsBridge.Benchmarks.Costs;
using SmsBridge.Benchmarks.Footprint;
using SmsBridge.Benchmarks.Load;
using SmsBridge.Benchmarks.Reporting;
using SmsBridge.Data.Settings;

namespace SmsBridge.Benchmarks;

/// <summary>One run: start the graph, measure idle memory, the load phases and the ceilings, then write the report.</summary>
public static class BenchmarkRun
{
    public static async Task<int> ExecuteAsync(BenchmarkOptions options)
    {
        var machine = MachineInfo.Read();
        var startedAt = DateTimeOffset.UtcNow;
        Progress.Line($"starting the graph ({machine.Cores} cores, load average {machine.LoadAverageAtStart[0]:0.00})");
        if (BuildConfiguration != "Release")
        {
            Progress.Line($"warning: measuring a {BuildConfiguration} build; run with -c Release for numbers worth keeping");
        }

        var data = Directory.CreateTempSubdirectory("smsbridge-benchmark-");
        File.SetUnixFileMode(data.FullName, (UnixFileMode)0b111_101_101); // the service account must enter it
        try
        {
            return await RunGraphAsync(options, machine, startedAt, data.FullName);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static async Task<int> RunGraphAsync(BenchmarkOptions options, MachineInfo machine, DateTimeOffset startedAt, string dataDirectory)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        string[] args = ["--environment=Development", $"AppHost:DataDirectory={dataDirectory}", "AppHost:PersistSecrets=false", "AppHost:DevelopmentTools=false",
            "AppHost:FastUnsafeStorage=true", // fsync off, for our load and pgbench alike
            "AppHost:StatementStatistics=true"]; // pg_stat_statements, for the per-operation cost
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.SmsBridge_AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = options.Dashboard }, args, timeout.Token);
        // The services' output stays in their log files; echoing each line here would load the machine being measured, and
        // the graph's own chatter (start-up, health probes that fail while services start, the newcomer's summary) would
        // mix with the report on standard output.
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)
            .AddFilter("SmsBridge.AppHost.Resources", LogLevel.None)
            .AddFilter("SmsBridge.AppHost", LogLevel.Warning)
            .AddFilter("Aspire.Hosting", LogLevel.Warning)
            .AddFilter("Aspire.Hosting.DistributedApplication", LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
        foreach (var summary in builder.Services.Where(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType?.Name == "NewcomerSummary").ToList())
        {
            builder.Services.Remove(summary);
        }
        await using var app = await builder.BuildAsync(timeout.Token);
        await using var monitor = new ResourceMonitor(app);
        var starting = app.StartAsync(timeout.Token);
        try
        {
            foreach (var name in new[] { "postgres", "cache", "receiver", "admin", "backup" })
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(name, WaitBehavior.StopOnResourceUnavailable, timeout.Token);
            }

            await starting;
        }
        catch (Exception ex) when (ex is DistributedApplicationException or OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("The graph did not start: " + ex.Message);
            return 1;
        }

        var ownerConnection = (await app.GetConnectionStringAsync("smsbridge-migrations"))!;
        var superuser = (await app.GetConnectionStringAsync("postgres"))!;
        await using var owner = NpgsqlDataSource.Create(ownerConnection + ";Maximum Pool Size=2");
        await using var statistics = NpgsqlDataSource.Create(
            new NpgsqlConnectionStringBuilder(superuser) { Database = "smsbridge", MaxPoolSize = 2 }.ConnectionString);
        var webhookPort = FreePort();
        await PrepareSettingsAsync(owner, WebhookBackend.UrlOf(webhookPort));
        var database = new DatabaseCounters(statistics);
        await database.EnableStatementsAsync();
        var redisEndpoint = RedisEndpoint.Parse((await app.GetConnectionStringAsync("cache"))!);
        var redis = new RedisCounters(redisEndpoint);
        await redis.ResetAsync();
        var run = new PhaseRunner(options, monitor, new CostMeter(monitor, database, redis), database, new Dictionary<string, string>
        {
            [LoadGenerator.BackendKeyVariable] = Secret(app, "backend-api-key"),
            [LoadGenerator.GatewayKeyVariable] = Secret(app, "gateway-api-key"),
            [LoadGenerator.WebhookSecretVariable] = Secret(app, "webhook-secret"),
            [LoadGenerator.DatabaseVariable] = ownerConnection,
        }, app.GetEndpoint("receiver", "http"), webhookPort);

        Progress.Line($"graph started; letting it settle for {options.Settle.TotalSeconds:0} s before reading idle memory");
        await Task.Delay(options.Settle);
        var idleAfterStart = monitor.Memory();
        monitor.TakePeaks();

        // Ceilings first, on a graph that has seen no load (pgbench on a fresh table each time), so they do not drift with our rows.
        var ceilings = new List<CeilingRun>();
        for (var repetition = 1; repetition <= options.Repeat; repetition++)
        {
            if (options.Phases.Contains("pgbench"))
            {
                Progress.Line($"pgbench ({repetition}/{options.Repeat}): {options.Concurrency} clients for {options.Duration.TotalSeconds:0} s");
                ceilings.Add(await run.CeilingAsync("pgbench", repetition, async () =>
                    [await PgBench.RunAsync(superuser, "smsbridge", options.Concurrency, options.Duration)], options.Duration.TotalSeconds));
            }

            if (options.Phases.Contains("redis"))
            {
                Progress.Line($"redis-benchmark ({repetition}/{options.Repeat}): SET and INCR, {options.Concurrency} clients");
                ceilings.AddRange(await run.CeilingsAsync("redis-benchmark", repetition,
                    () => RedisBenchmark.RunAsync(redisEndpoint, options.Concurrency, RedisBenchmark.RequestsPerSecondOfDuration * (int)options.Duration.TotalSeconds)));
            }
        }

        for (var repetition = 1; repetition <= options.Repeat; repetition++)
        {
            if (options.Phases.Contains("idle")) await run.IdleAsync(repetition);
        }

        // Repetitions alternate the phases (register, receive, flow, register, ...) so that a drift in the machine spreads over all.
        for (var repetition = 1; repetition <= options.Repeat; repetition++)
        {
            foreach (var scenario in new[] { Scenarios.RegisterScenario, Scenarios.ReceiveScenario, Scenarios.FlowScenario })
            {
                if (options.Phases.Contains(scenario)) await run.ClosedLoopAsync(scenario, repetition);
            }
        }

        for (var repetition = 1; options.Phases.Contains("open") && repetition <= options.Repeat; repetition++)
        {
            foreach (var rate in options.FlowRates) await run.OpenLoopAsync(Scenarios.FlowScenario, rate, repetition);
            foreach (var rate in options.ReceiveRates) await run.OpenLoopAsync(Scenarios.ReceiveScenario, rate, repetition);
        }

        Progress.Line($"load done; letting the graph settle for {options.SettleAfterLoad.TotalSeconds:0} s before reading idle memory again");
        await Task.Delay(options.SettleAfterLoad);
        var report = new BenchmarkReport(machine, startedAt, options, BuildConfiguration, run.Phases, ceilings, Ratios(run.Phases, ceilings),
            OperationCosts.From(run.Phases), idleAfterStart, monitor.Memory(), run.Webhooks);
        await WriteAsync(report, options.OutputDirectory);
        return 0;
    }

    /// <summary>Our closed-loop throughput as a share of what PostgreSQL and Redis do alone, at the same concurrency.</summary>
    private static List<Ratio> Ratios(IReadOnlyList<PhaseRun> phases, IReadOnlyList<CeilingRun> ceilings)
    {
        var ratios = new List<Ratio>();
        foreach (var ours in phases.Where(p => p.Kind == PhaseRun.ClosedLoop && p.Completed > 0).GroupBy(p => p.Name))
        {
            foreach (var ceiling in ceilings.GroupBy(c => c.Name))
            {
                var (o, c) = (ours.Select(p => p.PerSecond).ToList(), ceiling.Select(r => r.PerSecond).ToList());
                ratios.Add(new Ratio(ours.Key, ceiling.Key, o.Average() / c.Average(), o.Min() / c.Max(), o.Max() / c.Min()));
            }
        }

        return ratios;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The backend's webhook URL, and registration limits high enough that the benchmark measures work, not the limiter.</summary>
    private static async Task PrepareSettingsAsync(NpgsqlDataSource owner, string syncUrl)
    {
        await using var connection = await owner.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var current = (await SettingsVersions.ReadActiveAsync(connection, transaction, CancellationToken.None))!.Settings;
        var settings = current with
        {
            SyncUrl = syncUrl,
            RateLimits = current.RateLimits with { RegisterPerKeyPerMinute = 100_000_000 },
        };
        await new SettingsVersions(owner, TimeProvider.System).CreateActiveAsync(transaction, settings, "benchmark",
            "benchmark: local webhook backend, no registration limit", CancellationToken.None);
        await transaction.CommitAsync();
        await Task.Delay(TimeSpan.FromSeconds(1)); // services follow the NOTIFY within moments
    }

    private static string Secret(DistributedApplication app, string name) =>
        app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>().Single(r => r.Name == name)
            .GetValueAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult()!;

    /// <summary>The configuration this tool (and so the services it starts, built beside it) was built in.</summary>
    private static string BuildConfiguration { get; } = typeof(BenchmarkRun).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
        .OfType<System.Reflection.AssemblyConfigurationAttribute>().First().Configuration;

    private static async Task WriteAsync(BenchmarkReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        var markdown = MarkdownReport.Render(report);
        await File.WriteAllTextAsync(Path.Combine(directory, "results.md"), markdown);
        await File.WriteAllTextAsync(Path.Combine(directory, "results.json"), JsonSerializer.Serialize(report, JsonOptions));
        Console.WriteLine(markdown);
        Progress.Line($"wrote {Path.GetFullPath(Path.Combine(directory, "results.md"))} and results.json");
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
