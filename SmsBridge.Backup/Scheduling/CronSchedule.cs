using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;

namespace SmsBridge.Backup.Scheduling;

/// <summary>
/// The backup schedule: a standard five-field cron expression (minute hour day-of-month month day-of-week) in UTC,
/// parsed and stepped by Cronos. As in Vixie cron (and POSIX), when both day fields are restricted a day matching
/// either runs; Cronos ANDs them, so such an expression is kept as two (one per day field) and the earlier wins. A range
/// whose start is after its end is refused, as cron does (Cronos would wrap it around).
/// </summary>
public sealed partial class CronSchedule
{
    private readonly CronExpression[] _expressions;
    private readonly Lazy<TimeSpan> _longestGap;

    private CronSchedule(string expression, CronExpression[] expressions)
    {
        Expression = expression;
        _expressions = expressions;
        _longestGap = new Lazy<TimeSpan>(ComputeLongestGap);
    }

    public string Expression { get; }

    public static CronSchedule Parse(string expression)
    {
        var parts = (expression ?? "").Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5)
        {
            throw new FormatException($"'{expression}' is not a five-field cron expression (minute hour day-of-month month day-of-week), e.g. '0 */6 * * *'.");
        }

        if (NumericRange().Matches(string.Join(' ', parts)).FirstOrDefault(m =>
                int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) > int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)) is { } reversed)
        {
            throw new FormatException($"'{expression}' has the range '{reversed.Value}', whose start is after its end.");
        }

        try
        {
            var (minute, hour, dayOfMonth, month, dayOfWeek) = (parts[0], parts[1], parts[2], parts[3], parts[4]);
            string[] shapes = dayOfMonth != "*" && dayOfWeek != "*"
                ? [$"{minute} {hour} {dayOfMonth} {month} *", $"{minute} {hour} * {month} {dayOfWeek}"]
                : [string.Join(' ', parts)];
            return new CronSchedule(expression!, shapes.Select(s => CronExpression.Parse(s, CronFormat.Standard)).ToArray());
        }
        catch (CronFormatException ex)
        {
            throw new FormatException($"'{expression}' is not a valid cron expression: {ex.Message}", ex);
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/> (to the minute, UTC).</summary>
    public DateTimeOffset Next(DateTimeOffset after)
    {
        var next = _expressions.Select(e => e.GetNextOccurrence(after.UtcDateTime)).Where(t => t is not null).Min();
        return next is { } t
            ? new DateTimeOffset(t, TimeSpan.Zero)
            : throw new InvalidOperationException($"The cron expression '{Expression}' never runs.");
    }

    /// <summary>
    /// Whether a run was due between the last run and now (the process was down): then one backup catches up,
    /// however many slots were missed. A fresh install (no run yet) waits for its first slot.
    /// </summary>
    public bool MissedSince(DateTimeOffset? lastRun, DateTimeOffset now) => lastRun is { } last && Next(last) <= now;

    /// <summary>The longest interval between two runs (e.g. 6 h for <c>0 */6 * * *</c>), for the health check's window.</summary>
    public TimeSpan LongestGap(DateTimeOffset now) => _longestGap.Value;

    private TimeSpan ComputeLongestGap()
    {
        // A year from a fixed point, or 2,000 runs, whichever comes first: enough for every weekly or monthly shape.
        var previous = Next(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var end = previous.AddDays(400);
        var longest = TimeSpan.Zero;
        for (var i = 0; i < 2000 && previous < end; i++)
        {
            var next = Next(previous);
            if (next - previous > longest) longest = next - previous;
            previous = next;
        }

        return longest;
    }

    public override string ToString() => Expression;

    [GeneratedRegex(@"(\d+)-(\d+)")]
    private static partial Regex NumericRange();
}
