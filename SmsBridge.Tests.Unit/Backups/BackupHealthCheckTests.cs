using Microsoft.Extensions.Diagnostics.HealthChecks;
using SmsBridge.Backup.Monitoring;
using SmsBridge.Backup.Scheduling;

namespace SmsBridge.Tests.Backups;

public sealed class BackupHealthCheckTests
{
    private static readonly CronSchedule EverySixHours = CronSchedule.Parse("0 */6 * * *");
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_fresh_install_is_healthy_for_two_periods_then_unhealthy_without_a_verified_backup()
    {
        Assert.Equal(HealthStatus.Healthy, BackupHealthCheck.Evaluate(null, Start, Start, EverySixHours).Status);
        Assert.Equal(HealthStatus.Healthy, BackupHealthCheck.Evaluate(null, Start, Start.AddHours(12), EverySixHours).Status);
        Assert.Equal(HealthStatus.Unhealthy, BackupHealthCheck.Evaluate(null, Start, Start.AddHours(12).AddMinutes(1), EverySixHours).Status);
    }

    [Fact]
    public void Unhealthy_once_the_last_verified_backup_is_older_than_two_periods()
    {
        var verified = Start.AddHours(1);
        Assert.Equal(HealthStatus.Healthy, BackupHealthCheck.Evaluate(verified, Start, verified.AddHours(11), EverySixHours).Status);
        var stale = BackupHealthCheck.Evaluate(verified, Start, verified.AddHours(13), EverySixHours);
        Assert.Equal(HealthStatus.Unhealthy, stale.Status);
        Assert.Contains("13 h old", stale.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_restart_after_downtime_gets_two_periods_to_catch_up()
    {
        var lastVerified = Start.AddDays(-3);
        Assert.Equal(HealthStatus.Healthy, BackupHealthCheck.Evaluate(lastVerified, Start, Start.AddHours(1), EverySixHours).Status);
        Assert.Equal(HealthStatus.Unhealthy, BackupHealthCheck.Evaluate(lastVerified, Start, Start.AddHours(13), EverySixHours).Status);
    }
}
