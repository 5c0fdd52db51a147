using System.Diagnostics;

namespace SmsBridge.Benchmarks.Load;

/// <summary>
/// Closed-loop load: each of N clients runs one iteration after another, so the offered load follows what the
/// system can take. A warm-up runs first, unmeasured; the measured window is exactly the duration.
/// </summary>
public static class ClosedLoop
{
    public static async Task<(Recorder Recorder, TimeSpan Measured)> RunAsync(string name, int concurrency, TimeSpan warmup, TimeSpan duration,
        Func<Recorder, CancellationToken, Task> iteration)
    {
        var recorder = new Recorder();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await iteration(recorder, stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    recorder.Error(ex.GetType().Name);
                    await Task.Delay(50, CancellationToken.None);
                }
            }
        })).ToArray();

        Progress.Line($"{name}: warming up for {warmup.TotalSeconds:0} s with {concurrency} clients");
        await Task.Delay(warmup);
        recorder.Measuring = true;
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, Math.Max(0.05, (end - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency))));
            var elapsed = Stopwatch.GetElapsedTime(started);
            Progress.Line($"{name}: {elapsed.TotalSeconds,4:0} s  {recorder.Completed,8} done  {recorder.Completed / elapsed.TotalSeconds,8:0.0}/s");
        }

        recorder.Measuring = false;
        var measured = Stopwatch.GetElapsedTime(started);
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        return (recorder, measured);
    }
}

public static class Progress
{
    private static readonly long Start = Stopwatch.GetTimestamp();

    public static void Line(string text) => Console.Error.WriteLine($"[{Stopwatch.GetElapsedTime(Start).TotalSeconds,6:0.0}s] {text}");
}
