using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// Once every resource is healthy, prints what a newcomer needs and Aspire does not print: where the receiver, the admin
/// UI and the dashboard are, the admin login (on the first run, when it was just generated), where the keys are kept
/// and the one command that shows them, the development tools that make a first verification a browser's work, and how to
/// point <c>sync_url</c> at a real backend.
/// </summary>
internal sealed class NewcomerSummary(ResourceNotificationService notifications, DistributedApplicationModel model,
    IConfiguration configuration, NewcomerSummary.FirstRun firstRun) : BackgroundService
{
    public sealed record FirstRun(bool AdminPasswordIsNew);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            foreach (var resource in model.Resources.Where(r => r.Name is "postgres" or "cache" or "receiver" or "admin" or "backup"
                         or DevelopmentTools.SampleBackend or DevelopmentTools.GatewaySimulator))
            {
                await notifications.WaitForResourceHealthyAsync(resource.Name, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var receiver = Url("receiver");
        var tools = model.Resources.Any(r => r.Name == DevelopmentTools.SampleBackend);
        var admin = Url("admin");
        var password = await model.Resources.OfType<ParameterResource>().Single(p => p.Name == "admin-password").GetValueAsync(stoppingToken);
        var login = firstRun.AdminPasswordIsNew
            ? $"user admin, password {password} (shown on this first run only)"
            : "user admin, password from the command below (admin-password)";
        Console.Out.WriteLine($$"""

            SMS Bridge is up and healthy.
              receiver   {{receiver}}  (backend API; the SMS gateway posts to {{receiver}}/sms/receive)
              admin      {{admin}}  ({{login}})
              dashboard  {{DashboardLogin()}}

              Keys (backend API key, gateway API and signing keys, webhook secret, admin password) are kept in the AppHost's
              user secrets; show them with:
                dotnet user-secrets list --project SmsBridge.AppHost

            {{(tools ? DevelopmentToolsLines() : "  No webhook goes out until sync_url (your backend's webhook URL) is set:")}}
                curl -u admin:'<admin password>' -H 'Content-Type: application/json' \
                  -d '{"settings":{"sync_url":"https://backend.example/sms-bridge"},"change_note":"backend webhook"}' {{admin}}/admin/settings

              Ctrl+C stops everything.

            """);
    }

    private string DevelopmentToolsLines() => $"""
          Verify a first user with a browser (development only, never published):
            1. {Url(DevelopmentTools.SampleBackend)}  sample backend: register a mobile
            2. {Url(DevelopmentTools.GatewaySimulator)}  gateway simulator: send the SMS it fills in
            3. back in the sample backend: set the PIN; the user shows as verified when the signed webhook arrives
          On a fresh data folder sync_url starts at the sample backend (http://{DevelopmentTools.SampleBackend}/webhook); your own backend instead:
        """;

    private string Url(string project) =>
        model.Resources.OfType<ProjectResource>().Single(p => p.Name == project).GetEndpoint("http").Url;

    private string DashboardLogin()
    {
        var url = (configuration["ASPNETCORE_URLS"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "(dashboard off)";
        return configuration["AppHost:BrowserToken"] is { Length: > 0 } token ? $"{url.TrimEnd('/')}/login?t={token}" : url;
    }
}

public static class NewcomerSummaryExtensions
{
    /// <summary>
    /// Run mode only: the summary above, each resource's state changes on the AppHost's console, and a shutdown that
    /// stops the services before PostgreSQL and Redis.
    /// </summary>
    public static IDistributedApplicationBuilder AddStartupReport(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsRunMode) return builder;
        builder.Services.AddSingleton(new NewcomerSummary.FirstRun(builder.IsNew("admin-password")));
        builder.Services.AddHostedService<NewcomerSummary>();
        builder.Services.AddHostedService<StartupReport>();
        builder.Services.AddHostedService<OrderedShutdown>();
        return builder;
    }
}
