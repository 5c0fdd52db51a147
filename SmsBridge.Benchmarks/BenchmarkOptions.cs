using System.Globalization;

namespace SmsBridge.Benchmarks;

/// <summary>The command line: how hard, how long, and where the report goes.</summary>
public sealed record BenchmarkOptions
{
    public int Concurrency { get; init; } = 16;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long the graph rests before idle memory is read, after start-up and after the load.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(10);

    public string OutputDirectory { get; init; } = "artifacts/benchmarks";

    /// <summary>Runs the Aspire dashboard too (as F5 does): the services then export their telemetry to it.</summary>
    public bool Dashboard { get; init; }

    public IReadOnlySet<string> Phases { get; init; } = new HashSet<string>(AllPhases, StringComparer.Ordinal);

    public static readonly string[] AllPhases = ["register", "receive", "flow", "pgbench", "redis"];

    public const string Help = """
        SMS Bridge load benchmark: starts the whole graph (Release build) with a local webhook backend, drives
        closed-loop load and measures PostgreSQL's and Redis's own ceilings on the same machine in the same run.

        Usage: dotnet run -c Release --project SmsBridge.Benchmarks -- [options]

          -c, --concurrency N   concurrent clients in every phase, pgbench and redis-benchmark included (default 16)
          -d, --duration S      seconds of measured load per phase (default 20)
          -w, --warmup S        seconds of unmeasured load before each phase (default 3)
          -s, --settle S        seconds of rest before idle memory is read, after start-up and after load (default 10;
                                pooled PostgreSQL connections are closed after 300 s idle, so 310 shows the pool pruned)
          -o, --output DIR      where results.md and results.json are written (default artifacts/benchmarks)
          -p, --phases LIST     comma-separated subset of: register,receive,flow,pgbench,redis (default all)
              --dashboard       run the Aspire dashboard as F5 does (the services export telemetry to it); off by
                                default, so throughput is the services' own
          -h, --help            this text

        Phases:
          register  only POST /onboarding/register, a new mobile each time
          receive   only POST /sms/receive, a new mobile each time (a code that is not live: rejected, still 202)
          flow      full verification: register -> receive -> wait verified -> pin-setup -> webhook delivered
          pgbench   pgbench with a one-row insert shaped like the inbox write, same concurrency, superuser
          redis     redis-benchmark SET and INCR, same concurrency

        Needs: a Release build ('dotnet build -c Release'), /usr/lib/postgresql/15/bin/pgbench and redis-benchmark
        (scripts/install-prerequisites.sh installs both). Everything stays on 127.0.0.1.
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
                case "-w" or "--warmup" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var w):
                    options = options with { Warmup = TimeSpan.FromSeconds(w) };
                    break;
                case "-s" or "--settle" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s):
                    options = options with { Settle = TimeSpan.FromSeconds(s) };
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

    private static int? PositiveInt(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
