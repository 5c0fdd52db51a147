using System.Globalization;
using SmsBridge.Processes;

namespace SmsBridge.Benchmarks.Costs;

/// <summary>
/// Redis's own count of the commands it ran (<c>INFO commandstats</c>), read with redis-cli. Each read is a new
/// connection of its own (AUTH, INFO), so those commands are left out; the product issues neither after connecting.
/// </summary>
public sealed class RedisCounters(RedisEndpoint endpoint)
{
    private static readonly HashSet<string> OwnCommands = new(["info", "auth", "config|resetstat", "config", "hello", "command", "command|docs"],
        StringComparer.Ordinal);

    /// <summary>Lua on the server: one round trip however much it does.</summary>
    public static bool IsScript(string command) => command is "eval" or "evalsha" or "eval_ro" or "evalsha_ro" or "fcall" or "fcall_ro";

    public Task ResetAsync() => CliAsync("CONFIG", "RESETSTAT");

    /// <summary>Calls per command since the last reset.</summary>
    public async Task<Dictionary<string, long>> ReadAsync()
    {
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in (await CliAsync("INFO", "commandstats")).Split('\n', StringSplitOptions.TrimEntries))
        {
            // cmdstat_evalsha:calls=12,usec=345,...
            if (!line.StartsWith("cmdstat_", StringComparison.Ordinal)) continue;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var command = line[8..colon];
            var field = line[(colon + 1)..].Split(',').FirstOrDefault(f => f.StartsWith("calls=", StringComparison.Ordinal));
            if (OwnCommands.Contains(command) || field is null) continue;
            calls[command] = long.Parse(field[6..], CultureInfo.InvariantCulture);
        }

        return calls;
    }

    private async Task<string> CliAsync(params string[] command) =>
        (await ExternalProgram.CaptureAsync(new ProgramInvocation("redis-cli", [.. endpoint.Arguments(), "--no-auth-warning", .. command])
            { Timeout = TimeSpan.FromSeconds(30) })).EnsureSucceeded().Output;
}
