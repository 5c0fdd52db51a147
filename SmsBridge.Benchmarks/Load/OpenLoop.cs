using System.Diagnostics;

namespace SmsBridge.Benchmarks.Load;

/// <summary>
/// Open-loop load: iterations start at a fixed arrival rate whatever the system's answers, and each latency is
/// measured from the time the iteration was scheduled to start, so a slow answer delays no later send and a late
/// send shows as latency (no coordinated omission). A send that finds <c>maxInFlight</c> iterations still open is
/// dropped and counted; one that starts more than <see cref="LateAfter"/> after its schedule is counted as late.
/// </summary>
public static class OpenLoop
{
    public static readonly TimeSpan LateAfter = TimeSpan.FromMilliseconds(10);

    public static async Task<LoadWindow> RunAsync(string name, double perSecond, int maxInFlight, TimeSpan warmup, TimeSpan duration,
        Scenarios.Iteration iteration, MeasurementMarks marks)
    {
        Progress.Line($"{name}: warming up for {warmup.TotalSeconds:0} s at {perSecond:0}/s");
        var warm = new Recorder();
        var warming = await ScheduleAsync(warm, perSecond, maxInFlight, warmup, iteration, null);
        var measured = new Recorder { Measuring = true };
        marks.Measuring();
        var window = await ScheduleAsync(measured, perSecond, maxInFlight, duration, iteration, name);
        await Task.WhenAll(window.InFlight); // the measured window ends when the last scheduled iteration has its answer
        marks.Measured();
        await Task.WhenAll(warming.InFlight);
        // The achieved rate is over the schedule's length, so that a long tail of answers does not read as a lower rate.
        return new LoadWindow(measured, duration.TotalSeconds, window.Late, window.Dropped);
    }

    private sealed record Schedule(List<Task> InFlight, long Late, long Dropped);

    private static async Task<Schedule> ScheduleAsync(Recorder recorder, double perSecond, int maxInFlight, TimeSpan duration,
        Scenarios.Iteration iteration, string? progressName)
    {
        var tasks = new List<Task>();
        var open = 0;
        long late = 0, dropped = 0, sent = 0;
        var total = (long)Math.Round(perSecond * duration.TotalSeconds);
        var start = Stopwatch.GetTimestamp();
        var lateTicks = (long)(LateAfter.TotalSeconds * Stopwatch.Frequency);
        var nextProgress = start + 5 * Stopwatch.Frequency;
        while (sent < total)
        {
            var now = Stopwatch.GetTimestamp();
            for (; sent < total; sent++)
            {
                var scheduled = start + (long)(sent / perSecond * Stopwatch.Frequency);
                if (scheduled > now) break;
                if (now - scheduled > lateTicks) late++;
                if (Volatile.Read(ref open) >= maxInFlight)
                {
                    dropped++;
                    continue;
                }

                Interlocked.Increment(ref open);
                tasks.Add(Task.Run(async () =>
                {
                    try
                    {
                        await iteration(recorder, scheduled, CancellationToken.None);
                    }
                    catch (Exception ex)
                    {
                        recorder.Error(ex.GetType().Name);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref open);
                    }
                }));
            }

            if (progressName is not null && now >= nextProgress)
            {
                nextProgress += 5 * Stopwatch.Frequency;
                Progress.Line($"{progressName}: {Stopwatch.GetElapsedTime(start).TotalSeconds,4:0} s  {sent,8} sent  {recorder.Completed,8} done  " +
                              $"{Volatile.Read(ref open),6} open");
            }

            await Task.Delay(1);
        }

        return new Schedule(tasks, late, dropped);
    }
}
