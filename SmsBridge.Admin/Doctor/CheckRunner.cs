namespace SmsBridge.Admin.Doctor;

/// <summary>What one run of every check found.</summary>
public sealed record DoctorReport(DateTimeOffset RanAt, IReadOnlyList<CheckResult> Results)
{
    public CheckStatus Status => Results.Count == 0 ? CheckStatus.Pass : Results.Max(r => r.Status);
}

/// <summary>
/// Runs the checks one area after another (they share the database and the network, and none is slow) and records the
/// outcome for <c>/metrics</c>. An area whose check throws is one failed result named for it: doctor reports, never crashes.
/// </summary>
public sealed class CheckRunner(IEnumerable<IDoctorCheck> checks, DoctorMetrics metrics, TimeProvider time)
{
    public async Task<DoctorReport> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<CheckResult>();
        foreach (var check in checks)
        {
            try
            {
                results.AddRange(await check.RunAsync(cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                results.Add(CheckResult.Fail(check.Area, $"the {check.Area} checks could not run: {ex.Message}",
                    $"make {check.Area} reachable from the admin service, then run doctor again"));
            }
        }

        var report = new DoctorReport(time.GetUtcNow(), results);
        metrics.Record(report);
        return report;
    }
}
