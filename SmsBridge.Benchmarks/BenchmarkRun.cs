using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SmsBridge.Benchmarks.Ceilings;
using SmsBridge.Benchmarks.Footprint;
using SmsBridge.Benchmarks.Load;
using SmsBridge.Benchmarks.Reporting;

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
            "AppHost:FastUnsafeStorage=true"]; // fsync off, for our load and pgbench alike
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.SmsBridge_AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = options.Dashboard }, args, timeout.Token);
        // The services' output stays in their log files; echoing each line here would load the machine being measured.
        builder.Services.AddLogging(logging => logging.AddFilter("SmsBridge.AppHost.Resources", LogLevel.None)
            .AddFilter("SmsBridge.AppHost.Hosting", LogLevel.Warning));
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

        await using var owner = NpgsqlDataSource.Create((await app.GetConnectionStringAsync("smsbridge-migrations"))! + ";Maximum Pool Size=4");
        await using var webhooks = new WebhookBackend(Secret(app, "webhook-secret"));
        await webhooks.StartAsync();
        await PrepareSettingsAsync(owner, webhooks.Url);

        Progress.Line($"graph started; letting it settle for {options.Settle.TotalSeconds:0} s before reading idle memory");
        await Task.Delay(options.Settle);
        var idleAfterStart = monitor.Memory();
        monitor.TakePeaks();

        var receiver = app.GetEndpoint("receiver", "http");
        await using var outcomes = new OutcomeWatcher(owner);
        using var scenarios = new Scenarios(
            Scenarios.Client(receiver, options.Concurrency, h => h.Authorization = new("Bearer", Secret(app, "backend-api-key"))),
            Scenarios.Client(receiver, options.Concurrency, h => h.Add("X-Api-Key", Secret(app, "gateway-api-key"))),
            outcomes, webhooks);

        var phases = new List<PhaseResult>();
        if (options.Phases.Contains("register"))
        {
            phases.Add(await LoadPhaseAsync("register", "only POST /onboarding/register", options, monitor, owner, scenarios.RegisterOnlyAsync));
        }

        if (options.Phases.Contains("receive"))
        {
            phases.Add(await LoadPhaseAsync("receive", "only POST /sms/receive (202 = committed)", options, monitor, owner, scenarios.ReceiveOnlyAsync));
        }

        if (options.Phases.Contains("flow"))
        {
            phases.Add(await LoadPhaseAsync("flow", "full flows, register to webhook delivered", options, monitor, owner, scenarios.FullFlowAsync));
        }

        var ceilings = new List<CeilingResult>();
        if (options.Phases.Contains("pgbench"))
        {
            Progress.Line($"pgbench: {options.Concurrency} clients for {options.Duration.TotalSeconds:0} s");
            var superuser = (await app.GetConnectionStringAsync("postgres"))!;
            ceilings.Add(await CeilingPhaseAsync("pgbench", monitor, phases, () => PgBench.RunAsync(superuser,
                "smsbridge", options.Concurrency, options.Duration)));
        }

        if (options.Phases.Contains("redis"))
        {
            Progress.Line($"redis-benchmark: SET and INCR, {options.Concurrency} clients");
            var redis = (await app.GetConnectionStringAsync("cache"))!;
            ceilings.AddRange(await CeilingPhaseAsync("redis-benchmark", monitor, phases,
                () => RedisBenchmark.RunAsync(redis, options.Concurrency, 200_000)));
        }

        Progress.Line($"load done; letting the graph settle for {options.Settle.TotalSeconds:0} s before reading idle memory again");
        await Task.Delay(options.Settle);
        var report = new BenchmarkReport(machine, startedAt, options.Concurrency, options.Duration.TotalSeconds, options.Settle.TotalSeconds, BuildConfiguration,
            phases, ceilings, Ratios(phases, ceilings), idleAfterStart, monitor.Memory(),
            new WebhookTotals(webhooks.BadSignatures, webhooks.Redeliveries, webhooks.Conflicting));
        await WriteAsync(report, options.OutputDirectory);
        return 0;
    }

    private static async Task<PhaseResult> LoadPhaseAsync(string name, string description, BenchmarkOptions options, ResourceMonitor monitor,
        NpgsqlDataSource owner, Func<Recorder, CancellationToken, Task> iteration)
    {
        var cpuBefore = monitor.CpuSeconds();
        monitor.TakePeaks();
        var (recorder, measured) = await ClosedLoop.RunAsync(name, options.Concurrency, options.Warmup, options.Duration, iteration);
        var cpuAfter = monitor.CpuSeconds();
        var peaks = monitor.TakePeaks();

        // Validation runs after the 202: wait until it has caught up, so the next phase starts clean.
        var drain = Stopwatch.StartNew();
        while (await PendingAsync(owner) > 0 && drain.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(100);
        var drained = drain.Elapsed.TotalSeconds;
        Progress.Line($"{name}: {recorder.Completed} in {measured.TotalSeconds:0.0} s = {recorder.Completed / measured.TotalSeconds:0.0}/s; " +
                      $"validation backlog drained in {drained:0.0} s");
        return new PhaseResult(name, description, recorder.Completed, measured.TotalSeconds, recorder.Completed / measured.TotalSeconds,
            recorder.Summaries(), recorder.Errors, cpuAfter.ToDictionary(c => c.Key, c => c.Value - cpuBefore.GetValueOrDefault(c.Key), StringComparer.Ordinal),
            peaks, drained);
    }

    private static async Task<T> CeilingPhaseAsync<T>(string name, ResourceMonitor monitor, List<PhaseResult> phases, Func<Task<T>> run)
    {
        var cpuBefore = monitor.CpuSeconds();
        monitor.TakePeaks();
        var watch = Stopwatch.StartNew();
        var result = await run();
        var seconds = watch.Elapsed.TotalSeconds;
        var cpuAfter = monitor.CpuSeconds();
        phases.Add(new PhaseResult(name, "ceiling (no SMS Bridge traffic)", 0, seconds, 0, [], new Dictionary<string, int>(),
            cpuAfter.ToDictionary(c => c.Key, c => c.Value - cpuBefore.GetValueOrDefault(c.Key), StringComparer.Ordinal), monitor.TakePeaks(), null));
        return result;
    }

    /// <summary>Our throughput as a share of what PostgreSQL and Redis do alone, at the same concurrency.</summary>
    private static List<Ratio> Ratios(List<PhaseResult> phases, List<CeilingResult> ceilings)
    {
        var ratios = new List<Ratio>();
        foreach (var phase in phases.Where(p => p.Completed > 0))
        {
            foreach (var ceiling in ceilings)
            {
                ratios.Add(new Ratio($"{phase.Name} ({phase.PerSecond:0.0}/s)", $"{ceiling.Name} ({ceiling.PerSecond:0}/s)", phase.PerSecond / ceiling.PerSecond));
            }
        }

        return ratios;
    }

    /// <summary>The backend's webhook URL, and registration limits high enough that the benchmark measures work, not the limiter.</summary>
    private static async Task PrepareSettingsAsync(NpgsqlDataSource owner, string syncUrl)
    {
        await using var connection = await owner.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var next = new NpgsqlCommand("""
            SELECT jsonb_set(jsonb_set(settings, '{sync_url}', to_jsonb($1::text)), '{rate_limits,register_per_key_per_minute}', '100000000')::text
            FROM settings_versions WHERE is_active
            """, connection, transaction))
        {
            next.Parameters.Add(new NpgsqlParameter { Value = syncUrl });
            var settings = (string)(await next.ExecuteScalarAsync())!;
            await using var deactivate = new NpgsqlCommand("UPDATE settings_versions SET is_active = false WHERE is_active", connection, transaction);
            await deactivate.ExecuteNonQueryAsync();
            await using var insert = new NpgsqlCommand("""
                INSERT INTO settings_versions (settings, is_active, created_by, change_note, activated_at)
                VALUES ($1::jsonb, true, 'benchmark', 'benchmark: local webhook backend, no registration limit', now())
                """, connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter { Value = settings });
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        await Task.Delay(TimeSpan.FromSeconds(1)); // services follow the NOTIFY within moments
    }

    private static async Task<long> PendingAsync(NpgsqlDataSource owner)
    {
        await using var command = owner.CreateCommand("SELECT count(*) FROM sms_inbox WHERE outcome = 'pending'");
        return (long)(await command.ExecuteScalarAsync())!;
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
