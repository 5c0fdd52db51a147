namespace SmsBridge.Admin.Doctor;

public enum CheckStatus
{
    Pass,
    Warn,
    Fail,
}

/// <summary>
/// One finding of <c>doctor</c>: which check (a stable id such as <c>postgres.trust</c>, also the metric's label), how it
/// went, the evidence seen, and the fix in one line when it did not pass.
/// </summary>
public sealed record CheckResult(string Id, CheckStatus Status, string Evidence, string? Fix = null)
{
    public static CheckResult Pass(string id, string evidence) => new(id, CheckStatus.Pass, evidence);

    public static CheckResult Warn(string id, string evidence, string fix) => new(id, CheckStatus.Warn, evidence, fix);

    public static CheckResult Fail(string id, string evidence, string fix) => new(id, CheckStatus.Fail, evidence, fix);
}

/// <summary>A group of related checks (TLS, PostgreSQL, …) run against the live installation.</summary>
public interface IDoctorCheck
{
    /// <summary>The id prefix of its results, e.g. <c>tls</c>; a check that throws is reported as one failed <c>&lt;Area&gt;</c> result.</summary>
    string Area { get; }

    Task<IReadOnlyList<CheckResult>> RunAsync(CancellationToken cancellationToken);
}
