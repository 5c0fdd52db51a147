using System.Globalization;
using SmsBridge.Benchmarks.Costs;
using SmsBridge.Processes;

namespace SmsBridge.Benchmarks.Ceilings;

/// <summary>Redis's own ceiling on this machine: redis-benchmark SET and INCR against the graph's Redis, no pipelining.</summary>
public static class RedisBenchmark
{
    /// <summary>redis-benchmark counts requests, not seconds: this many per second of --duration keeps it near half the duration on a quiet machine.</summary>
    public const int RequestsPerSecondOfDuration = 20_000;

    public static async Task<IReadOnlyList<CeilingResult>> RunAsync(RedisEndpoint endpoint, int clients, int requests)
    {
        List<string> arguments =
        [
            .. endpoint.Arguments(), "-c", clients.ToString(CultureInfo.InvariantCulture),
            "-n", requests.ToString(CultureInfo.InvariantCulture), "-t", "set,incr", "--csv",
        ];

        var output = (await ExternalProgram.CaptureAsync(new ProgramInvocation("redis-benchmark", arguments) { Timeout = TimeSpan.FromMinutes(2) }))
            .EnsureSucceeded().All;
        var results = new List<CeilingResult>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var cells = line.Split(',').Select(c => c.Trim('"')).ToArray();
            if (cells.Length >= 3 && cells[0] is "SET" or "INCR"
                && double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var rps))
            {
                results.Add(new CeilingResult($"redis-benchmark {cells[0]}", rps,
                    double.TryParse(cells[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var avg) ? avg : null));
            }
        }

        if (results.Count == 0) throw new InvalidOperationException("redis-benchmark printed no SET/INCR results:\n" + output);
        return results;
    }
}
