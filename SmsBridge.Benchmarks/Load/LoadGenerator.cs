using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SmsBridge.Benchmarks.Reporting;

namespace SmsBridge.Benchmarks.Load;

/// <summary>
/// The load generator, run as a child process of the benchmark (<c>SmsBridge.Benchmarks load ...</c>) so that its CPU
/// is its own line in the report and apart from the AppHost's. It drives HTTP, plays the customer's webhook backend,
/// and speaks a line protocol on standard output: <c>@backend PID</c> (its PostgreSQL backend, to leave out of
/// PostgreSQL's cost), <c>@measuring</c> and <c>@measured</c> at the ends of the measured window, then
/// <c>@result JSON</c>; after each mark it waits for a line on standard input. Progress goes to standard error. Secrets come in the environment, not on the command line.
/// </summary>
public static class LoadGenerator
{
    public const string Command = "load";
    public const string BackendKeyVariable = "SMSBRIDGE_BENCHMARK_BACKEND_KEY";
    public const string GatewayKeyVariable = "SMSBRIDGE_BENCHMARK_GATEWAY_KEY";
    public const string WebhookSecretVariable = "SMSBRIDGE_BENCHMARK_WEBHOOK_SECRET";
    public const string DatabaseVariable = "SMSBRIDGE_BENCHMARK_DATABASE";

    public static async Task<int> RunAsync(LoadSpec spec)
    {
        Progress.Unstamped = true;
        await using var webhooks = new WebhookBackend(Required(WebhookSecretVariable));
        await webhooks.StartAsync(spec.WebhookPort);
        await using var outcomes = await OutcomeWatcher.StartAsync(Required(DatabaseVariable));
        Console.Out.WriteLine($"@backend {outcomes.BackendPid.ToString(CultureInfo.InvariantCulture)}");
        var connections = spec.Rate is null ? spec.Concurrency : spec.MaxInFlight;
        using var scenarios = new Scenarios(
            Scenarios.Client(spec.Receiver, connections, h => h.Authorization = new("Bearer", Required(BackendKeyVariable))),
            Scenarios.Client(spec.Receiver, connections, h => h.Add("X-Api-Key", Required(GatewayKeyVariable))),
            outcomes, webhooks) { ObeyRetryAfter = spec.Rate is null };

        long watcherAtStart = 0, watcherAtEnd = 0;
        var marks = new MeasurementMarks(
            () => { watcherAtStart = outcomes.Queries; Mark("@measuring"); },
            () => { watcherAtEnd = outcomes.Queries; Mark("@measured"); });
        var name = spec.Rate is { } rate ? $"{spec.Scenario} at {rate:0}/s" : spec.Scenario;
        var window = spec.Rate is { } perSecond
            ? await OpenLoop.RunAsync(name, perSecond, spec.MaxInFlight, spec.Warmup, spec.Duration, scenarios.For(spec.Scenario), marks)
            : await ClosedLoop.RunAsync(name, spec.Concurrency, spec.Warmup, spec.Duration, scenarios.For(spec.Scenario), marks);

        // Hand-offs of flows cut short at the end still arrive: stay up until they stop, so none is retried into the next phase.
        var linger = Stopwatch.StartNew();
        while (Stopwatch.GetElapsedTime(webhooks.LastArrival) < TimeSpan.FromSeconds(1) && linger.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(100);
        }

        var recorder = window.Recorder;
        var result = new LoadResult(spec.Scenario, spec.Rate, recorder.Completed, window.Seconds, recorder.Summaries(), recorder.Errors,
            watcherAtEnd - watcherAtStart, window.Late, window.Dropped,
            new WebhookTotals(webhooks.BadSignatures, webhooks.Redeliveries, webhooks.Conflicting));
        Console.Out.WriteLine("@result " + JsonSerializer.Serialize(result, LoadResult.Json));
        return 0;
    }

    /// <summary>Prints a mark and waits until the parent has taken its snapshot (a line on standard input), so that the
    /// window starts after the snapshot and the process is still there to be measured at the end.</summary>
    private static void Mark(string mark)
    {
        Console.Out.WriteLine(mark);
        Console.Out.Flush();
        _ = Console.In.ReadLine();
    }

    private static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) ?? throw new InvalidOperationException($"{variable} is not set (the benchmark sets it).");
}

/// <summary>What the load generator is asked to do: a scenario, closed loop with N clients or open loop at a rate.</summary>
public sealed record LoadSpec(string Scenario, int Concurrency, double? Rate, int MaxInFlight, TimeSpan Warmup, TimeSpan Duration,
    Uri Receiver, int WebhookPort)
{
    public IEnumerable<string> Arguments()
    {
        var i = CultureInfo.InvariantCulture;
        yield return LoadGenerator.Command;
        string[] pairs =
        [
            "--scenario", Scenario, "--concurrency", Concurrency.ToString(i), "--max-in-flight", MaxInFlight.ToString(i),
            "--warmup", Warmup.TotalSeconds.ToString(i), "--duration", Duration.TotalSeconds.ToString(i),
            "--receiver", Receiver.ToString(), "--webhook-port", WebhookPort.ToString(i),
        ];
        foreach (var a in pairs) yield return a;
        if (Rate is { } rate)
        {
            yield return "--rate";
            yield return rate.ToString(i);
        }
    }

    /// <summary>The inverse of <see cref="Arguments"/> (after the command word); null when an argument is missing or wrong.</summary>
    public static LoadSpec? Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var k = 0; k + 1 < args.Count; k += 2) values[args[k]] = args[k + 1];
        var i = CultureInfo.InvariantCulture;
        double? Number(string key) => values.TryGetValue(key, out var v) && double.TryParse(v, NumberStyles.Float, i, out var d) ? d : null;
        if (!values.TryGetValue("--scenario", out var scenario) || !values.TryGetValue("--receiver", out var receiver)
            || Number("--concurrency") is not { } concurrency || Number("--max-in-flight") is not { } maxInFlight
            || Number("--warmup") is not { } warmup || Number("--duration") is not { } duration || Number("--webhook-port") is not { } port
            || !Uri.TryCreate(receiver, UriKind.Absolute, out var uri))
        {
            return null;
        }

        return new LoadSpec(scenario, (int)concurrency, Number("--rate"), (int)maxInFlight, TimeSpan.FromSeconds(warmup),
            TimeSpan.FromSeconds(duration), uri, (int)port);
    }
}

/// <summary>The load generator's report of one phase, read back by the benchmark.</summary>
public sealed record LoadResult(
    string Scenario,
    double? Rate,
    long Completed,
    double Seconds,
    IReadOnlyList<LatencySummary> Latencies,
    IReadOnlyDictionary<string, int> Errors,
    long WatcherQueries,
    long Late,
    long Dropped,
    WebhookTotals Webhooks)
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
