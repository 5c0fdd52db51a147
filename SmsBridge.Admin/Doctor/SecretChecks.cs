using Microsoft.Extensions.Configuration;

namespace SmsBridge.Admin.Doctor;

/// <summary>
/// This service's secrets (the same rules as the start-up refusal in Production, applied in every environment here) and the
/// .NET runtime's support window. The other services refuse to start with a weak secret, so theirs are checked by running.
/// </summary>
public sealed class SecretChecks(IConfiguration configuration, TimeProvider time) : IDoctorCheck
{
    public string Area => "secrets";

    public Task<IReadOnlyList<CheckResult>> RunAsync(CancellationToken cancellationToken)
    {
        var weak = Extensions.FindWeakSecrets(configuration).ToList();
        var runtime = Environment.Version;
        IReadOnlyList<CheckResult> results =
        [
            weak.Count == 0
                ? CheckResult.Pass("secrets.weak", "no secret of the admin service is missing, a default or short")
                : CheckResult.Fail("secrets.weak", string.Join("; ", weak), "generate them with deploy/setup-production.sh (docs/operations.md, \"Rotate secrets\")"),
            SupportWindows.Judge("dotnet.version", ".NET", runtime.ToString(), SupportWindows.DotNet.TryGetValue(runtime.Major, out var end) ? end : null,
                time.GetUtcNow(), "rebuild the images on a supported .NET (the Dockerfiles' base images)"),
        ];
        return Task.FromResult(results);
    }
}
