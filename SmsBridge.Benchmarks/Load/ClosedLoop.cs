using System.Diagnostics;

namespace SmsBridge.Benchmarks.Load;

/// <summary>
/// Closed-loop load: each of N clients runs one iteration after another, so the offered load follows what the
/// system can take. A warm-up runs first, unmeasured; the measured window is exactly the duration, and the
/// marks are called at its two ends (the parent reads its counters there).
/// </summary>
public static class ClosedLoop
{
    public static async Task<LoadWindow> RunAsync(string name, int concurrency, TimeSpan warmup, TimeSpan duration,
        Scenarios.Iteration iteration, MeasurementMarks marks)
    {
        var recorder = new Recorder();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await iteration(recorder, Stopwatch.GetTimestamp(), stop.Token);
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
        marks.Measuring();
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
        // The clients stop before the end mark, so that no new load runs while the parent takes its snapshot; what they
        // started still finishes in the window (validation, delivery), as what the warm-up started did at its start.
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        marks.Measured();
        return new LoadWindow(recorder, measured.TotalSeconds, 0, 0);
    }
}

/// <summary>What a load loop measured: the recorder, the window's length, and (open loop) sends that missed their schedule.</summary>
public sealed record LoadWindow(Recorder Recorder, double Seconds, long Late, long Dropped);

/// <summary>Called at the start and the end of the measured window.</summary>
public sealed record MeasurementMarks(Action Measuring, Action Measured);
