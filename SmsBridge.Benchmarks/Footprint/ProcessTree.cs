using System.Globalization;

namespace SmsBridge.Benchmarks.Footprint;

/// <summary>
/// Reads /proc for one resource: its process and every descendant (PostgreSQL's backends, for example).
/// CPU from /proc/&lt;pid&gt;/stat, memory from /proc/&lt;pid&gt;/status (VmRSS, VmHWM) and smaps_rollup (Pss, which
/// shares pages fairly, so that summing PostgreSQL's backends does not count shared buffers once per backend).
/// </summary>
public static class ProcessTree
{
    public static IReadOnlyList<int> WithDescendants(int root) => ProcessTable.Read().WithDescendants(root);

    /// <summary>Parent, own ticks (user + system) and reaped children's ticks, or null once the process is gone.</summary>
    public static (int Parent, long Own, long Reaped)? Ticks(int pid) =>
        Stat(pid) is { } s ? (s.Parent, s.UserTicks + s.SystemTicks, s.ChildUserTicks + s.ChildSystemTicks) : null;

    public static MemorySample Memory(int root, bool withDescendants = true)
    {
        long rss = 0, pss = 0, hwm = 0;
        foreach (var pid in withDescendants ? WithDescendants(root) : [root])
        {
            var status = StatusKb(pid);
            rss += status.GetValueOrDefault("VmRSS");
            if (pid == root) hwm = status.GetValueOrDefault("VmHWM");
            pss += RollupKb(pid).GetValueOrDefault("Pss");
        }

        return new MemorySample(rss / 1024.0, pss / 1024.0, hwm / 1024.0);
    }

    /// <summary>The NUL-separated command line (/proc/&lt;pid&gt;/cmdline), or "" once the process is gone.</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>The command name (/proc/&lt;pid&gt;/comm), or "" once the process is gone.</summary>
    public static string Command(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static (int Parent, long UserTicks, long SystemTicks, long ChildUserTicks, long ChildSystemTicks)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var f = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            // After the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
            return (int.Parse(f[1], CultureInfo.InvariantCulture), long.Parse(f[11], CultureInfo.InvariantCulture),
                long.Parse(f[12], CultureInfo.InvariantCulture), long.Parse(f[13], CultureInfo.InvariantCulture),
                long.Parse(f[14], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static Dictionary<string, long> StatusKb(int pid) => ReadKb($"/proc/{pid}/status");

    private static Dictionary<string, long> RollupKb(int pid) => ReadKb($"/proc/{pid}/smaps_rollup");

    private static Dictionary<string, long> ReadKb(string path)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0 || !line.EndsWith(" kB", StringComparison.Ordinal)) continue;
                if (long.TryParse(line[(colon + 1)..^3].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
                {
                    values[line[..colon]] = kb;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return values;
    }
}

/// <summary>Megabytes: resident (summed over the tree), proportional set size (summed), and the root's peak resident.</summary>
public sealed record MemorySample(double RssMb, double PssMb, double PeakRssMb);
