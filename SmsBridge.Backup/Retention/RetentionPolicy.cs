using System.Globalization;
using SmsBridge.Backup.Configuration;

namespace SmsBridge.Backup.Retention;

/// <summary>One backup as retention sees it. <paramref name="Verified"/>: true verified, false failed verification, null not verified yet.</summary>
public sealed record RetentionCandidate(string Id, DateTimeOffset StartedAt, bool? Verified);

/// <summary>Which backups to keep and which to delete, with the reason each one is kept.</summary>
public sealed record RetentionPlan(IReadOnlyDictionary<string, string> Keep, IReadOnlyList<string> Delete);

/// <summary>
/// Grandfather-father-son retention as a pure function of (backups, now): among verified backups, the newest
/// of each of the last <c>Daily</c> UTC days, <c>Weekly</c> ISO weeks and <c>Monthly</c> months that have one
/// (plus, if configured, the <c>Last</c> newest).
/// The newest verified backup is always kept (whatever the settings), and so is a backup newer than it that is
/// still to be verified. Backups that failed verification, and unverified ones older than the newest verified,
/// are deleted: they cannot be trusted. With no verified backup at all nothing is deleted.
/// </summary>
public static class RetentionPolicy
{
    public static RetentionPlan Plan(IEnumerable<RetentionCandidate> backups, DateTimeOffset now, RetentionOptions options)
    {
        var all = backups.OrderByDescending(b => b.StartedAt).ToList();
        var keep = new Dictionary<string, string>(StringComparer.Ordinal);
        var verified = all.Where(b => b.Verified == true && b.StartedAt <= now).ToList();

        foreach (var recent in verified.Take(Math.Max(0, options.Last))) keep.TryAdd(recent.Id, "last");
        KeepNewestPerPeriod(verified, options.Daily, b => b.StartedAt.UtcDateTime.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "daily", keep);
        KeepNewestPerPeriod(verified, options.Weekly, b =>
        {
            var date = b.StartedAt.UtcDateTime;
            return $"{ISOWeek.GetYear(date)}-W{ISOWeek.GetWeekOfYear(date):00}";
        }, "weekly", keep);
        KeepNewestPerPeriod(verified, options.Monthly, b => b.StartedAt.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture), "monthly", keep);

        if (verified.FirstOrDefault() is { } newestVerified)
        {
            keep.TryAdd(newestVerified.Id, "newest verified");
            foreach (var pending in all.Where(b => b.Verified is null && b.StartedAt > newestVerified.StartedAt))
            {
                keep.TryAdd(pending.Id, "not verified yet");
            }
        }
        else
        {
            // Nothing verified yet: delete nothing, there is no trusted backup to fall back on.
            foreach (var backup in all) keep.TryAdd(backup.Id, "no verified backup yet");
        }

        return new RetentionPlan(keep, [.. all.Where(b => !keep.ContainsKey(b.Id)).OrderBy(b => b.StartedAt).Select(b => b.Id)]);
    }

    /// <summary>The newest backup in each of the most recent <paramref name="count"/> periods that have any (newest first input).</summary>
    private static void KeepNewestPerPeriod(List<RetentionCandidate> newestFirst, int count, Func<RetentionCandidate, string> period,
        string reason, Dictionary<string, string> keep)
    {
        if (count <= 0) return;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var backup in newestFirst)
        {
            if (!seen.Add(period(backup))) continue;
            if (keep.TryGetValue(backup.Id, out var existing)) keep[backup.Id] = existing + ", " + reason;
            else keep[backup.Id] = reason;
            if (seen.Count == count) return;
        }
    }
}
