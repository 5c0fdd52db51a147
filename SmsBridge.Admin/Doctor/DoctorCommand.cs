using System.Text.Json;
using System.Text.Json.Serialization;
using SmsBridge.ServiceDefaults.Secrets;

namespace SmsBridge.Admin.Doctor;

/// <summary>
/// <c>dotnet SmsBridge.Admin.dll doctor [--json] [--url https://domain]</c>: the same checks as <c>GET /admin/doctor</c> and
/// the UI page, run once from the command line with the service's configuration; exit code 1 when any check fails.
/// </summary>
public static class DoctorCommand
{
    public const string Name = "doctor";

    private const string Help = """
        Usage: dotnet SmsBridge.Admin.dll doctor [--json] [--url https://sms.example.org]

        Checks a live installation and says what is wrong and how to fix it: TLS (expiry, chain, protocols, the
        HTTP->HTTPS redirect, HSTS), PostgreSQL (passwords required, SCRAM, the app role's rights, connection headroom,
        version), Redis (password, address, persistence, version), backups (newest verified, off-site, free disk),
        monitoring ports (none past expiry, none without an audit row), secrets and the .NET version.

        Options:
          --url URL   the public HTTPS URL to check TLS on (default: Doctor__PublicUrl; without either, no TLS checks)
          --json      one JSON document (for cron and scripts) instead of the table
          --help      show this help

        It reads the admin service's configuration (ConnectionStrings__smsbridge, ConnectionStrings__cache, Doctor__*),
        so run it where the service runs, e.g. `docker compose exec admin dotnet SmsBridge.Admin.dll doctor`.
        Exit codes: 0 nothing failed (warnings allowed), 1 a check failed, 2 usage error.
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
    };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var json = false;
        Uri? url = null;
        var rest = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--help" or "-h":
                    await output.WriteLineAsync(Help);
                    return 0;
                case "--json":
                    json = true;
                    break;
                case "--url" when i + 1 < args.Length:
                    if (!Uri.TryCreate(args[++i], UriKind.Absolute, out url) || url.Scheme != Uri.UriSchemeHttps)
                    {
                        await error.WriteLineAsync($"--url must be an https:// URL such as https://sms.example.org, not '{args[i]}'.");
                        return 2;
                    }

                    break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal) && !args[i].Contains('='))
                    {
                        await error.WriteLineAsync($"Unknown or incomplete option '{args[i]}'.\n\n{Help}");
                        return 2;
                    }

                    rest.Add(args[i]); // configuration overrides (Key=Value), as the service takes them
                    break;
            }
        }

        var builder = WebApplication.CreateBuilder([.. rest]);
        try
        {
            SecretFiles.AddTo(builder.Configuration); // the service's secret files, read as it reads them
        }
        catch (SecretSettingException refused)
        {
            await error.WriteLineAsync(refused.Message);
            return 1;
        }

        builder.Logging.ClearProviders(); // the report is the output; what goes wrong is in it (a check that cannot run fails)
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddSmsBridgeData();
        builder.AddAdminFeatures();
        builder.AddDoctor();
        await using var app = builder.Build();
        var report = await app.Services.GetRequiredService<DoctorService>().RunAsync(url, CancellationToken.None);

        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(report, Json));
        }
        else
        {
            foreach (var result in report.Results)
            {
                await output.WriteLineAsync($"{result.Status.ToString().ToUpperInvariant(),-5} {result.Id,-28} {result.Evidence}");
                if (result.Fix is { } fix) await output.WriteLineAsync($"{"",-34} fix: {fix}");
            }

            var counts = report.Results.GroupBy(r => r.Status).ToDictionary(g => g.Key, g => g.Count());
            await output.WriteLineAsync(
                $"\n{counts.GetValueOrDefault(CheckStatus.Pass)} passed, {counts.GetValueOrDefault(CheckStatus.Warn)} warnings, {counts.GetValueOrDefault(CheckStatus.Fail)} failed");
        }

        return report.Status == CheckStatus.Fail ? 1 : 0;
    }
}
