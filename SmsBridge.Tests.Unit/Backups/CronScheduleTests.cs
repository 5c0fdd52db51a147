using SmsBridge.Backup.Scheduling;

namespace SmsBridge.Tests.Backups;

public sealed class CronScheduleTests
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0 */6 * * *", "2026-11-23T05:59", "2026-11-23T06:00")]
    [InlineData("0 */6 * * *", "2026-11-23T06:00", "2026-11-23T12:00")]
    [InlineData("0 */6 * * *", "2026-12-31T18:30", "2027-01-01T00:00")]
    [InlineData("30 2 * * *", "2026-11-23T02:30", "2026-11-24T02:30")]
    [InlineData("15,45 9-17/4 * * *", "2026-11-23T09:20", "2026-11-23T09:45")]
    [InlineData("15,45 9-17/4 * * *", "2026-11-23T09:50", "2026-11-23T13:15")]
    [InlineData("0 3 * * MON-FRI", "2026-11-27T04:00", "2026-11-30T03:00")]
    [InlineData("0 0 * * 7", "2026-11-23T00:00", "2026-11-29T00:00")]
    [InlineData("0 0 29 FEB *", "2026-03-01T00:00", "2028-02-29T00:00")]
    [InlineData("0 0 1 * 1", "2026-11-23T00:00", "2026-11-30T00:00")]
    [InlineData("0 0 1 * 1", "2026-11-30T00:00", "2026-12-01T00:00")]
    [InlineData("*/20 * * * *", "2026-11-23T10:59", "2026-11-23T11:00")]
    public void Next_finds_the_first_occurrence_strictly_after(string expression, string after, string expected)
    {
        var next = CronSchedule.Parse(expression).Next(DateTimeOffset.Parse(after + "Z", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeOffset.Parse(expected + "Z", System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0 */6 * *")]
    [InlineData("60 * * * *")]
    [InlineData("0 24 * * *")]
    [InlineData("0 0 0 * *")]
    [InlineData("0 0 * 13 *")]
    [InlineData("*/0 * * * *")]
    [InlineData("5-1 * * * *")]
    [InlineData("a * * * *")]
    public void Malformed_expressions_are_rejected_with_a_message(string expression)
    {
        var error = Assert.Throws<FormatException>(() => CronSchedule.Parse(expression));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void The_longest_gap_is_the_schedule_period()
    {
        Assert.Equal(TimeSpan.FromHours(6), CronSchedule.Parse("0 */6 * * *").LongestGap(Utc(2026, 11, 23)));
        Assert.Equal(TimeSpan.FromHours(72), CronSchedule.Parse("0 3 * * 1-5").LongestGap(Utc(2026, 11, 23)));
    }

    [Fact]
    public void A_missed_slot_is_caught_up_once_and_a_fresh_install_waits_for_its_first_slot()
    {
        var schedule = CronSchedule.Parse("0 */6 * * *");
        Assert.False(schedule.MissedSince(null, Utc(2026, 11, 23, 8)));
        Assert.False(schedule.MissedSince(Utc(2026, 11, 23, 6), Utc(2026, 11, 23, 11, 59)));
        Assert.True(schedule.MissedSince(Utc(2026, 11, 23, 6), Utc(2026, 11, 23, 12)));
        Assert.True(schedule.MissedSince(Utc(2026, 11, 20, 6), Utc(2026, 11, 23, 8)));
    }
}
