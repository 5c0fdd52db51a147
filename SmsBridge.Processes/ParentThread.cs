using System.Collections.Concurrent;
using System.Diagnostics;

namespace SmsBridge.Processes;

/// <summary>
/// The one thread that starts every child. setpriv's <c>--pdeathsig TERM</c> fires when the thread that forked the
/// child exits, not the process, and a thread-pool thread can retire while its child still runs (a server, a long
/// dump then died with exit code 143). This thread lives as long as the process.
/// </summary>
internal static class ParentThread
{
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> Requests = [];

    static ParentThread()
    {
        new Thread(Serve) { IsBackground = true, Name = "External programs (parent)" }.Start();
    }

    public static void Start(Process process)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((process, started));
        started.Task.GetAwaiter().GetResult();
    }

    private static void Serve()
    {
        foreach (var (process, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                process.Start();
                started.SetResult();
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }
}
