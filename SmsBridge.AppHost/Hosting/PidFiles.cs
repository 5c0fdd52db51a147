using System.Diagnostics;

namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// Records each child's pid under the data folder; on the next start, a recorded pid that is still alive
/// and still ours (its command line names our data folder or project) is killed, as fwknop flushes its
/// rules after a crash.
/// </summary>
internal static class PidFiles
{
    public static void Record(string pidFile, int pid)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(pidFile)!);
        File.WriteAllText(pidFile, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static void Forget(string pidFile) => File.Delete(pidFile);

    public static async Task ReconcileAsync(string pidFile, string marker)
    {
        if (!File.Exists(pidFile)) return;
        var firstLine = File.ReadLines(pidFile).FirstOrDefault();
        File.Delete(pidFile);
        if (!int.TryParse(firstLine, out var pid) || !IsOurs(pid, marker)) return;

        Signals.Send(pid, Signals.Term);
        for (var i = 0; i < 50 && IsAlive(pid); i++) await Task.Delay(100);
        if (IsAlive(pid)) Signals.Send(pid, Signals.Kill);
    }

    private static bool IsOurs(int pid, string marker)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Contains(marker, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            // A zombie (state Z) has exited; PID 1 here does not reap orphans.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
