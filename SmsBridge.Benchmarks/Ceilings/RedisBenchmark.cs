using System.Globalization;
using SmsBridge.Processes;

namespace SmsBridge.Benchmarks.Ceilings;

/// <summary>Redis's own ceiling on this machine: redis-benchmark SET and INCR against the graph's Redis, no pipelining.</summary>
public static class RedisBenchmark
{
    public static async Task<IReadOnlyList<CeilingResult>> RunAsync(string connectionString, int clients, int requests)
    {
        // StackExchange.Redis form: "host:port,password=…".
        var parts = connectionString.Split(',');
        var endpoint = parts[0].Split(':');
        var password = parts.Skip(1).Select(p => p.Split('=', 2)).Where(p => p[0] == "password").Select(p => p[1]).SingleOrDefault();
        List<string> arguments =
        [
            "-h", endpoint[0], "-p", endpoint[1], "-c", clients.ToString(CultureInfo.InvariantCulture),
            "-n", requests.ToString(CultureInfo.InvariantCulture), "-t", "set,incr", "--csv",
        ];
        if (password is not null) arguments.AddRange(["-a", password]); // a throwaway graph's password, on loopback

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
