using System.Runtime.InteropServices;

namespace SmsBridge.AppHost.Hosting;

internal static partial class Signals
{
    public const int Int = 2;
    public const int Kill = 9;
    public const int Term = 15;

    public static void Send(int pid, int signal) => _ = kill(pid, signal);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
