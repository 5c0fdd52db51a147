using System.Globalization;

namespace SmsBridge.Benchmarks.Footprint;

/// <summary>
/// Every process's CPU ticks and parent from one pass over /proc, so that a window's snapshot of all resources is
/// one quick read rather than a scan per resource (the window's ends are only as sharp as the snapshot is short).
/// </summary>
public sealed class ProcessTable
{
    public const double ClockTicksPerSecond = 100; // USER_HZ on Linux
    private readonly Dictionary<int, (int Parent, long Own, long Reaped)> _stats = [];
    private readonly Dictionary<int, List<int>> _children = [];

    private ProcessTable()
    {
    }

    public static ProcessTable Read()
    {
        var table = new ProcessTable();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (ProcessTree.Ticks(pid) is not { } stat) continue;
            table._stats[pid] = stat;
            if (!table._children.TryGetValue(stat.Parent, out var list)) table._children[stat.Parent] = list = [];
            list.Add(pid);
        }

        return table;
    }

    public bool Contains(int pid) => _stats.ContainsKey(pid);

    public List<int> WithDescendants(int root)
    {
        var result = new List<int> { root };
        for (var i = 0; i < result.Count; i++)
        {
            if (_children.TryGetValue(result[i], out var list)) result.AddRange(list);
        }

        return result;
    }

    /// <summary>CPU seconds of the tree so far, with the root's reaped children (descendants that have exited).</summary>
    public double CpuSeconds(int root, bool withDescendants = true) =>
        (withDescendants ? WithDescendants(root) : [root]).Sum(pid => _stats.TryGetValue(pid, out var s) ? s.Own + (pid == root ? s.Reaped : 0) : 0)
        / ClockTicksPerSecond;

    /// <summary>One process's own CPU seconds, and apart from them those of its reaped children.</summary>
    public (double Own, double Reaped) OwnCpuSeconds(int pid) =>
        _stats.TryGetValue(pid, out var s) ? (s.Own / ClockTicksPerSecond, s.Reaped / ClockTicksPerSecond) : (0, 0);
}
