using Microsoft.Extensions.Configuration;
using Npgsql;
using SmsBridge.Data.Secrets;

namespace SmsBridge.Admin.Doctor;

/// <summary>
/// This service's secrets (the same rules as the start-up refusal in Production, applied in every environment here) and the
/// .NET runtime's support window. The other services refuse to start with a weak secret, so theirs are checked by running;
/// the webhook secret's age comes from when the receiver first used it (<c>secret_fingerprints</c>).
/// </summary>
public sealed class SecretChecks(IConfiguration configuration, NpgsqlDataSource database, TimeProvider time) : IDoctorCheck
{
    /// <summary>The backend shares the webhook secret: rotate it (docs/operations.md, "Rotate secrets") at least yearly.</summary>
    public static readonly TimeSpan WebhookSecretMaxAge = TimeSpan.FromDays(365);

    public string Area => "secrets";

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CancellationToken cancellationToken)
    {
        var weak = Extensions.FindUnsafeSecrets(configuration, AdminRequiredSecrets.Settings).ToList();
        var runtime = Environment.Version;
        return
        [
            await WebhookSecretAgeAsync(cancellationToken),
            weak.Count == 0
                ? CheckResult.Pass("secrets.weak", "no secret of the admin service is missing, a default or short")
                : CheckResult.Fail("secrets.weak", string.Join("; ", weak), "generate them with deploy/setup-production.sh (docs/operations.md, \"Rotate secrets\")"),
            SupportWindows.Judge("dotnet.version", ".NET", runtime.ToString(), SupportWindows.DotNet.TryGetValue(runtime.Major, out var end) ? end : null,
                time.GetUtcNow(), "rebuild the images on a supported .NET (the Dockerfiles' base images)"),
        ];
    }

    private async Task<CheckResult> WebhookSecretAgeAsync(CancellationToken cancellationToken)
    {
        if (await SecretFingerprints.InUseSinceAsync(database, SecretFingerprints.WebhookSecret, cancellationToken) is not { } since)
        {
            return CheckResult.Warn("secrets.webhook_age", "the receiver has not recorded the webhook secret's first use",
                "start the receiver on this database once; it records the secret's fingerprint at start");
        }

        var age = time.GetUtcNow() - since;
        var evidence = $"the webhook secret in use since {since:yyyy-MM-dd} ({age.TotalDays:0} days)";
        return age <= WebhookSecretMaxAge
            ? CheckResult.Pass("secrets.webhook_age", evidence)
            : CheckResult.Warn("secrets.webhook_age", evidence + $", more than {WebhookSecretMaxAge.TotalDays:0}",
                "rotate it with the backend (Secrets__WebhookSecretPrevious keeps the old one signing meanwhile; docs/operations.md, \"Rotate secrets\")");
    }
}
