using Microsoft.Extensions.Options;

namespace SmsBridge.Admin.Doctor;

/// <summary>
/// Runs doctor a minute after start and then every <see cref="DoctorOptions.Interval"/>: the gauge on /metrics, and the
/// stored results postgres_exporter exports to the monitoring kit.
/// </summary>
public sealed class DoctorSchedule(DoctorService doctor, DoctorResults stored, IOptions<DoctorOptions> options, TimeProvider time,
    ILogger<DoctorSchedule> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(1), time, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                var report = await doctor.RunAsync(options.Value.PublicUrl, stoppingToken);
                try
                {
                    await stored.SaveAsync(report, stoppingToken);
                }
                catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
                {
                    logger.LogWarning("doctor: storing the results failed ({Reason}); the next run tries again", ex.Message);
                }

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
