using Microsoft.Extensions.Options;

namespace SmsBridge.Admin.Doctor;

/// <summary>Runs doctor a minute after start and then every <see cref="DoctorOptions.Interval"/>, for the gauge on /metrics.</summary>
public sealed class DoctorSchedule(DoctorRuns runs, IOptions<DoctorOptions> options, TimeProvider time, ILogger<DoctorSchedule> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(1), time, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                var report = await runs.RunAsync(options.Value.PublicUrl, stoppingToken);
                foreach (var failed in report.Results.Where(r => r.Status == CheckStatus.Fail))
                {
                    logger.LogWarning("doctor: {Check} failed: {Evidence}; fix: {Fix}", failed.Id, failed.Evidence, failed.Fix);
                }

                await Task.Delay(options.Value.Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
