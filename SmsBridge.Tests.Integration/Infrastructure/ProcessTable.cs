namespace SmsBridge.Tests.Infrastructure;

/// <summary>Reads /proc: which processes descend from a set of pids, and which of them still live (zombies do not count).</summary>
public static class ProcessTable
{
    public static HashSet<int> WithDescendants(IEnumerable<int> roots)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            if (ReadStat(pid) is { } stat) parents[pid] = stat.Parent;
        }

        var result = new HashSet<int>(roots);
        bool grew;
        do
        {
            grew = false;
            foreach (var (pid, parent) in parents)
            {
                if (result.Contains(parent) && result.Add(pid)) grew = true;
            }
        } while (grew);

        return result;
    }

    /// <summary>Processes started with <c>--monitor pid</c>: DCP detaches from the AppHost that launched it and watches it so.</summary>
    public static IEnumerable<int> Monitoring(int pid)
    {
        var needle = $"--monitor\0{pid}\0";
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var candidate)) continue;
            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(dir, "cmdline"));
            }
            catch (IOException)
            {
                continue;
            }

            if (commandLine.Contains(needle, StringComparison.Ordinal)) yield return candidate;
        }
    }

    public static bool IsAlive(int pid) => ReadStat(pid) is { State: not 'Z' and not 'X' };

    private static (char State, int Parent)? ReadStat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
