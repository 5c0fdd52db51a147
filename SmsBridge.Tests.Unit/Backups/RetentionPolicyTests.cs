using SmsBridge.Backup.Configuration;
using SmsBridge.Backup.Retention;

namespace SmsBridge.Tests.Backups;

public sealed class RetentionPolicyTests
{
    private static readonly RetentionOptions Default = new();

    private static string Id(DateTimeOffset at) => $"{at.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-0000";

    private static DateTimeOffset Utc(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    /// <summary>400 days of backups every 6 hours (2025-10-01 to 2026-11-04, a Wednesday), pruned after each one as the worker does.</summary>
    [Fact]
    public void Four_hundred_days_of_six_hourly_backups_leave_exactly_the_7_daily_4_weekly_3_monthly_set()
    {
        var existing = new List<RetentionCandidate>();
        var start = Utc(2025, 10, 1, 0);
        var now = start;
        for (var i = 0; i < 400 * 4; i++)
        {
            now = start.AddHours(6 * i); // the injected clock: each backup starts and is pruned "now"
            var backup = new RetentionCandidate(Id(now), now, Verified: true);
            existing.Add(backup);
            var plan = RetentionPolicy.Plan(existing, now, Default);
            Assert.Contains(backup.Id, plan.Keep.Keys);
            Assert.True(plan.Keep.Count <= 7 + 4 + 3);
            existing.RemoveAll(b => plan.Delete.Contains(b.Id));
        }

        Assert.Equal(Utc(2026, 11, 4, 18), now);
        string[] expected =
        [
            // daily: the newest backup of each of the last 7 days
            Id(Utc(2026, 11, 4, 18)), Id(Utc(2026, 11, 3, 18)), Id(Utc(2026, 11, 2, 18)), Id(Utc(2026, 11, 1, 18)),
            Id(Utc(2026, 10, 31, 18)), Id(Utc(2026, 10, 30, 18)), Id(Utc(2026, 10, 29, 18)),
            // weekly: the ISO weeks of 2 Nov and 26 Oct are covered by dailies; then Sundays 25 Oct and 18 Oct
            Id(Utc(2026, 10, 25, 18)), Id(Utc(2026, 10, 18, 18)),
            // monthly: November and October are covered; then the last of September
            Id(Utc(2026, 9, 30, 18)),
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), existing.Select(b => b.Id).Order(StringComparer.Ordinal));

        // One pass over all 1,600 at once reaches the same set.
        var all = Enumerable.Range(0, 1600).Select(i => start.AddHours(6 * i)).Select(t => new RetentionCandidate(Id(t), t, true)).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), RetentionPolicy.Plan(all, now, Default).Keep.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_only_verified_backup_is_never_deleted_however_old_and_whatever_the_settings()
    {
        var start = Utc(2025, 10, 1, 0);
        var backups = Enumerable.Range(0, 1600)
            .Select(i => start.AddHours(6 * i))
            .Select((t, i) => new RetentionCandidate(Id(t), t, Verified: i == 0 ? true : false))
            .ToList();
        var now = start.AddDays(400);

        foreach (var options in new[] { Default, new RetentionOptions { Daily = 0, Weekly = 0, Monthly = 0 } })
        {
            var plan = RetentionPolicy.Plan(backups, now, options);
            Assert.Equal([Id(start)], plan.Keep.Keys);
            Assert.Equal(1599, plan.Delete.Count);
        }
    }

    [Fact]
    public void Nothing_is_deleted_before_any_backup_verified_and_a_backup_awaiting_verification_is_kept()
    {
        var t0 = Utc(2026, 11, 1, 0);
        var unverified = new[] { new RetentionCandidate("a", t0, false), new RetentionCandidate("b", t0.AddHours(6), null) };
        Assert.Empty(RetentionPolicy.Plan(unverified, t0.AddDays(30), Default).Delete);

        var mixed = new[]
        {
            new RetentionCandidate("old-unverified", t0, null),
            new RetentionCandidate("verified", t0.AddHours(6), true),
            new RetentionCandidate("failed", t0.AddHours(12), false),
            new RetentionCandidate("pending", t0.AddHours(18), null),
        };
        var plan = RetentionPolicy.Plan(mixed, t0.AddHours(19), Default);
        Assert.Equal(["pending", "verified"], plan.Keep.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["old-unverified", "failed"], plan.Delete);
    }

    [Fact]
    public void Keep_last_adds_the_newest_backups_of_the_same_day()
    {
        var t0 = Utc(2026, 11, 1, 0);
        var backups = Enumerable.Range(0, 4).Select(i => new RetentionCandidate($"b{i}", t0.AddHours(6 * i), true)).ToList();
        Assert.Equal(["b3"], RetentionPolicy.Plan(backups, t0.AddDays(1), Default).Keep.Keys);
        Assert.Equal(["b1", "b2", "b3"], RetentionPolicy.Plan(backups, t0.AddDays(1), new RetentionOptions { Last = 3 }).Keep.Keys.Order(StringComparer.Ordinal));
    }
}
