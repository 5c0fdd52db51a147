using System.Globalization;

namespace SmsBridge.Benchmarks.Footprint;

/// <summary>
/// Reads /proc for one resource: its process and every descendant (PostgreSQL's backends, for example).
/// CPU from /proc/&lt;pid&gt;/stat, memory from /proc/&lt;pid&gt;/status (VmRSS, VmHWM) and smaps_rollup (Pss, which
/// shares pages fairly, so that summing PostgreSQL's backends does not count shared buffers once per backend).
/// </summary>
public static class ProcessTree
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux

    public static IReadOnlyList<int> WithDescendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (Stat(pid) is not { } stat) continue;
            if (!children.TryGetValue(stat.Parent, out var list)) children[stat.Parent] = list = [];
            list.Add(pid);
        }

        var result = new List<int> { root };
        for (var i = 0; i < result.Count; i++)
        {
            if (children.TryGetValue(result[i], out var list)) result.AddRange(list);
        }

        return result;
    }

    /// <summary>CPU seconds used by the tree so far, including descendants that have exited and been reaped.</summary>
    public static double CpuSeconds(int root, bool withDescendants = true)
    {
        double ticks = 0;
        foreach (var pid in withDescendants ? WithDescendants(root) : [root])
        {
            if (Stat(pid) is not { } stat) continue;
            ticks += stat.UserTicks + stat.SystemTicks + (pid == root ? stat.ChildUserTicks + stat.ChildSystemTicks : 0);
        }

        return ticks / ClockTicksPerSecond;
    }

    /// <summary>
    /// One process's own CPU seconds, and apart from them those of its children that have exited and been reaped
    /// (a ceiling tool it ran, for example), which the kernel adds to it once they are gone.
    /// </summary>
    public static (double Own, double Reaped) OwnCpuSeconds(int pid) => Stat(pid) is { } s
        ? ((s.UserTicks + s.SystemTicks) / ClockTicksPerSecond, (s.ChildUserTicks + s.ChildSystemTicks) / ClockTicksPerSecond)
        : (0, 0);

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
