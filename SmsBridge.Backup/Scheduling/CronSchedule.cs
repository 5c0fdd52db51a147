using System.Globalization;

namespace SmsBridge.Backup.Scheduling;

/// <summary>
/// A standard five-field cron expression (minute hour day-of-month month day-of-week), evaluated in UTC:
/// <c>*</c>, numbers, ranges <c>a-b</c>, steps <c>*/n</c> and <c>a-b/n</c>, lists, month and weekday names,
/// 7 as Sunday. As in Vixie cron, when both day fields are restricted a day matching either runs.
/// (No cron package restores here; this is all the backup schedule needs.)
/// </summary>
public sealed class CronSchedule
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _daysOfMonth;
    private readonly bool[] _months;
    private readonly bool[] _daysOfWeek;
    private readonly bool _dayOfMonthRestricted;
    private readonly bool _dayOfWeekRestricted;
    private readonly Lazy<TimeSpan> _longestGap;

    private CronSchedule(string expression, bool[][] fields, bool dayOfMonthRestricted, bool dayOfWeekRestricted)
    {
        Expression = expression;
        (_minutes, _hours, _daysOfMonth, _months, _daysOfWeek) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        _dayOfMonthRestricted = dayOfMonthRestricted;
        _dayOfWeekRestricted = dayOfWeekRestricted;
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

        var fields = new[]
        {
            ParseField(parts[0], 0, 59, null, "minute"),
            ParseField(parts[1], 0, 23, null, "hour"),
            ParseField(parts[2], 1, 31, null, "day of month"),
            ParseField(parts[3], 1, 12, MonthNames, "month"),
            ParseField(parts[4], 0, 7, DayNames, "day of week"),
        };
        if (fields[4][7]) fields[4][0] = true;
        return new CronSchedule(expression!, fields, parts[2] != "*", parts[4] != "*");
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/> (to the minute, UTC).</summary>
    public DateTimeOffset Next(DateTimeOffset after)
    {
        var utc = after.UtcDateTime;
        var t = new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, DateTimeKind.Utc).AddMinutes(1);
        var limit = t.AddYears(8); // Covers 29 February on a leap-year-only day.
        while (t < limit)
        {
            if (!_months[t.Month])
            {
                t = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
            }
            else if (!DayMatches(t))
            {
                t = t.Date.AddDays(1);
            }
            else if (!_hours[t.Hour])
            {
                t = t.Date.AddHours(t.Hour + 1);
            }
            else if (!_minutes[t.Minute])
            {
                t = t.AddMinutes(1);
            }
            else
            {
                return new DateTimeOffset(t, TimeSpan.Zero);
            }
        }

        throw new InvalidOperationException($"The cron expression '{Expression}' never runs.");
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

    private bool DayMatches(DateTime t)
    {
        var dayOfMonth = _daysOfMonth[t.Day];
        var dayOfWeek = _daysOfWeek[(int)t.DayOfWeek];
        return _dayOfMonthRestricted && _dayOfWeekRestricted ? dayOfMonth || dayOfWeek : dayOfMonth && dayOfWeek;
    }

    private static bool[] ParseField(string field, int min, int max, string[]? names, string what)
    {
        var allowed = new bool[max + 1];
        foreach (var item in field.Split(','))
        {
            var (range, step) = item.Split('/') switch
            {
                [var r] => (r, 1),
                [var r, var s] when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 => (r, n),
                _ => throw new FormatException($"Bad step in the {what} field: '{item}'."),
            };
            int from, to;
            if (range == "*")
            {
                (from, to) = (min, max);
            }
            else if (range.Split('-') is [var a, var b])
            {
                (from, to) = (Value(a, min, max, names, what), Value(b, min, max, names, what));
            }
            else
            {
                from = Value(range, min, max, names, what);
                to = item.Contains('/', StringComparison.Ordinal) ? max : from;
            }

            if (from > to) throw new FormatException($"Bad range in the {what} field: '{item}' (start after end).");
            for (var v = from; v <= to; v += step) allowed[v] = true;
        }

        return allowed;
    }

    private static int Value(string text, int min, int max, string[]? names, string what)
    {
        if (names is not null)
        {
            var index = Array.FindIndex(names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
            if (index >= 0) return index + (names.Length == 12 ? 1 : 0);
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new FormatException($"'{text}' is not a valid {what} ({min}-{max}).");
        }

        return value;
    }

    public override string ToString() => Expression;
}
