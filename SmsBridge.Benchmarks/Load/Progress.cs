using System.Diagnostics;

namespace SmsBridge.Benchmarks.Load;

/// <summary>Progress lines on standard error, stamped with the seconds since the run started.</summary>
public static class Progress
{
    private static readonly long Start = Stopwatch.GetTimestamp();

    /// <summary>Set in the load generator: the parent stamps its lines when it forwards them.</summary>
    public static bool Unstamped { get; set; }

    public static void Line(string text) =>
        Console.Error.WriteLine(Unstamped ? text : $"[{Stopwatch.GetElapsedTime(Start).TotalSeconds,6:0.0}s] {text}");
}
