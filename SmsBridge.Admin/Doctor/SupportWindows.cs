namespace SmsBridge.Admin.Doctor;

/// <summary>
/// End of upstream support per major version, as the projects published them (checked 2026-12-02; update with each new
/// release line). Past the date a version is a fail; within 120 days of it, a warning to plan the upgrade.
/// </summary>
public static class SupportWindows
{
    public static readonly DateOnly CheckedOn = new(2026, 12, 2);

    /// <summary>PostgreSQL: five years per major (postgresql.org/support/versioning).</summary>
    public static readonly IReadOnlyDictionary<int, DateOnly> PostgreSql = new Dictionary<int, DateOnly>
    {
        [13] = new(2025, 11, 13), [14] = new(2026, 11, 12), [15] = new(2027, 11, 11), [16] = new(2028, 11, 9), [17] = new(2029, 11, 8),
        [18] = new(2030, 11, 14),
    };

    /// <summary>
    /// Redis: the newest release lines are maintained; older lines only by distributions. Debian 12 ships 7.0 with security
    /// fixes until Debian 12's own end (2028-06-30), which is the date used for it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, DateOnly> Redis = new Dictionary<string, DateOnly>(StringComparer.Ordinal)
    {
        ["6.2"] = new(2025, 2, 28), ["7.0"] = new(2028, 6, 30), ["7.2"] = new(2028, 6, 30), ["7.4"] = new(2028, 6, 30),
        ["8.0"] = new(2029, 12, 31),
    };

    /// <summary>.NET: LTS releases three years, STS releases two (dotnet.microsoft.com/platform/support/policy).</summary>
    public static readonly IReadOnlyDictionary<int, DateOnly> DotNet = new Dictionary<int, DateOnly>
    {
        [8] = new(2026, 11, 10), [9] = new(2026, 11, 10), [10] = new(2028, 11, 14),
    };

    private const int WarnDays = 120;

    /// <summary>The result for <paramref name="name"/> <paramref name="version"/> against its end of support.</summary>
    public static CheckResult Judge(string id, string name, string version, DateOnly? end, DateTimeOffset now, string upgrade)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (end is not { } until) return CheckResult.Warn(id, $"{name} {version}: not in doctor's support table (dated {CheckedOn:yyyy-MM-dd})", upgrade);
        if (today > until) return CheckResult.Fail(id, $"{name} {version}: upstream support ended {until:yyyy-MM-dd}", upgrade);
        if (today.AddDays(WarnDays) > until) return CheckResult.Warn(id, $"{name} {version}: support ends {until:yyyy-MM-dd}", upgrade);
        return CheckResult.Pass(id, $"{name} {version}: supported until {until:yyyy-MM-dd}");
    }
}
