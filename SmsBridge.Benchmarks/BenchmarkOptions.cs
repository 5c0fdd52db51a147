using System.Globalization;

namespace SmsBridge.Benchmarks;

/// <summary>The command line: how hard, how long, how often, and where the report goes.</summary>
public sealed record BenchmarkOptions
{
    public int Concurrency { get; init; } = 16;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How many times each phase and ceiling runs in the run (the report gives the spread).</summary>
    public int Repeat { get; init; } = 2;

    /// <summary>Measured seconds at each open-loop arrival rate.</summary>
    public TimeSpan OpenDuration { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<double> FlowRates { get; init; } = [100, 300, 1000];

    public IReadOnlyList<double> ReceiveRates { get; init; } = [500, 1000, 2000];

    /// <summary>Open loop: iterations open at once beyond which a scheduled send is dropped (and counted).</summary>
    public int MaxInFlight { get; init; } = 2000;

    /// <summary>How long the graph rests before idle memory is read after start-up.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the graph rests after the load before idle memory is read again.</summary>
    public TimeSpan SettleAfterLoad { get; init; } = TimeSpan.FromSeconds(60);

    public string OutputDirectory { get; init; } = "artifacts/benchmarks";

    /// <summary>Runs the Aspire dashboard too (as F5 does): the services then export their telemetry to it.</summary>
    public bool Dashboard { get; init; }

    public IReadOnlySet<string> Phases { get; init; } = new HashSet<string>(AllPhases, StringComparer.Ordinal);

    /// <summary>In the order they run: ceilings first, on fresh state, then the idle window, then the load.</summary>
    public static readonly string[] AllPhases = ["pgbench", "redis", "idle", "register", "receive", "flow", "open"];

    public const string Help = """
        SMS Bridge load benchmark: starts the whole graph (Release build) with pg_stat_statements on, measures
        PostgreSQL's and Redis's own ceilings first (fresh state), then drives load from a child process of its own
        (the load generator, which also plays the customer's webhook backend), each phase and ceiling several times.

        Usage: dotnet run -c Release --project SmsBridge.Benchmarks -- [options]

          -c, --concurrency N     closed-loop clients in every phase, pgbench and redis-benchmark included (default 16)
          -d, --duration S        measured seconds per closed-loop phase, pgbench and the idle window; sizes
                                  redis-benchmark's request count (default 20)
          -w, --warmup S          seconds of unmeasured load before each phase, closed and open loop (default 3)
          -r, --repeat N          runs of every phase and ceiling; the report gives min-max (default 2, at least 1)
              --open-duration S   measured seconds at each open-loop rate (default 10)
              --flow-rates LIST   open-loop full flows per second, comma-separated (default 100,300,1000)
              --receive-rates LIST  open-loop receive-only SMS per second (default 500,1000,2000)
              --max-in-flight N   open loop: a send that finds N iterations open is dropped and counted (default 2000)
          -s, --settle S          seconds of rest after start-up before idle memory is read (default 10)
              --settle-after S    seconds of rest after the load before idle memory is read again (default 60)
          -o, --output DIR        where results.md and results.json are written (default artifacts/benchmarks)
          -p, --phases LIST       comma-separated subset of: pgbench,redis,idle,register,receive,flow,open (default all)
              --dashboard         run the Aspire dashboard as F5 does (the services export telemetry to it); off by
                                  default, so throughput is the services' own
          -h, --help              this text

        Phases (in this order):
          pgbench   pgbench one-row insert shaped like the inbox write, fresh table each time, same concurrency, superuser
          redis     redis-benchmark SET and INCR, same concurrency, 20,000 requests each per second of --duration
          idle      no load for the duration: the background work (pollers, heartbeats) to subtract from the rows below
          register  closed loop: only POST /onboarding/register, a new mobile each time
          receive   closed loop: only POST /sms/receive, a new mobile each time (a code that is not live: rejected,
                    still 202), then the wait until validation has caught up
          flow      closed loop: register -> receive -> wait verified -> pin-setup -> webhook delivered
          open      open loop at each --flow-rates (full flows) and --receive-rates (receive only); latency is
                    measured from each request's scheduled send time

        Smoke run (about 2 minutes): -d 3 -w 1 -r 1 --open-duration 3 --flow-rates 20 --receive-rates 100 -s 1 --settle-after 5

        Prints progress on standard error, then the report (markdown) on standard output; writes results.md and
        results.json. The load generator is this executable run as 'load ...' by the benchmark; it is not for direct use.
        Needs: a Release build, /usr/lib/postgresql/15/bin/pgbench, redis-benchmark and redis-cli
        (scripts/install-prerequisites.sh installs them). Everything stays on 127.0.0.1.
        """;

    /// <summary>Parses the arguments; null with a message when they are wrong, or when help was asked for.</summary>
    public static (BenchmarkOptions? Options, string? Message) Parse(string[] args)
    {
        var options = new BenchmarkOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help" or "-?") return (null, Help);
            if (name is "--dashboard")
            {
                options = options with { Dashboard = true };
                continue;
            }

            if (i + 1 >= args.Length) return (null, $"'{name}' needs a value. See --help.");
            var value = args[++i];
            switch (name)
            {
                case "-c" or "--concurrency" when PositiveInt(value) is { } c:
                    options = options with { Concurrency = c };
                    break;
                case "-d" or "--duration" when PositiveInt(value) is { } d:
                    options = options with { Duration = TimeSpan.FromSeconds(d) };
                    break;
                case "-w" or "--warmup" when NonNegativeInt(value) is { } w:
                    options = options with { Warmup = TimeSpan.FromSeconds(w) };
                    break;
                case "-r" or "--repeat" when PositiveInt(value) is { } r:
                    options = options with { Repeat = r };
                    break;
                case "--open-duration" when PositiveInt(value) is { } o:
                    options = options with { OpenDuration = TimeSpan.FromSeconds(o) };
                    break;
                case "--flow-rates" when Rates(value) is { } rates:
                    options = options with { FlowRates = rates };
                    break;
                case "--receive-rates" when Rates(value) is { } rates:
                    options = options with { ReceiveRates = rates };
                    break;
                case "--max-in-flight" when PositiveInt(value) is { } m:
                    options = options with { MaxInFlight = m };
                    break;
                case "-s" or "--settle" when NonNegativeInt(value) is { } s:
                    options = options with { Settle = TimeSpan.FromSeconds(s) };
                    break;
                case "--settle-after" when NonNegativeInt(value) is { } s:
                    options = options with { SettleAfterLoad = TimeSpan.FromSeconds(s) };
                    break;
                case "-o" or "--output":
                    options = options with { OutputDirectory = value };
                    break;
                case "-p" or "--phases":
                    var phases = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (phases.Length == 0 || phases.Except(AllPhases).FirstOrDefault() is { } unknown)
                    {
                        return (null, $"Unknown phase in '{value}'. Phases: {string.Join(',', AllPhases)}.");
                    }

                    options = options with { Phases = new HashSet<string>(phases, StringComparer.Ordinal) };
                    break;
                default:
                    return (null, $"'{name} {value}' is not understood. See --help.");
            }
        }

        return (options, null);
    }

    private static int? PositiveInt(string value) => NonNegativeInt(value) is > 0 and var n ? n : null;

    private static int? NonNegativeInt(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>Comma-separated positive rates; an empty list turns that open-loop series off.</summary>
    private static IReadOnlyList<double>? Rates(string value)
    {
        var rates = new List<double>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || rate <= 0) return null;
            rates.Add(rate);
        }

        return rates;
    }
}
