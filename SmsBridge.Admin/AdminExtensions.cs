using System.Text.Json;
using System.Text.Json.Serialization;
using SmsBridge.Admin.Accounts;
using SmsBridge.Admin.Auditing;
using SmsBridge.Admin.Backups;
using SmsBridge.Admin.Blacklist;
using SmsBridge.Admin.Doctor;
using SmsBridge.Admin.Monitoring;
using SmsBridge.Admin.Operations;
using SmsBridge.Admin.Overview;
using SmsBridge.Admin.Settings;
using SmsBridge.Data.Audit;
using SmsBridge.Data.Settings;

namespace Microsoft.Extensions.Hosting;

public static class AdminExtensions
{
    /// <summary>The admin features behind the API and the UI, one service per capability.</summary>
    public static IHostApplicationBuilder AddAdminFeatures(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = null;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        builder.Services.Configure<MonitoringOptions>(builder.Configuration.GetSection("Monitoring"));
        builder.Services.AddSingleton<AdminAudit>();
        builder.Services.AddSingleton<AdminChanges>();
        builder.Services.AddSingleton<SettingsVersions>();
        builder.Services.AddSingleton<SettingsService>();
        builder.Services.AddSingleton<BlacklistService>();
        builder.Services.AddSingleton<PortOpeningStore>();
        builder.Services.AddSingleton<PortRegistry>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PortRegistry>());
        builder.Services.AddSingleton<PortConfigService>();
        builder.Services.AddSingleton<LogFiles>();
        builder.Services.AddSingleton<RecoveryService>();
        builder.Services.AddSingleton<SmsLookup>();
        builder.Services.AddSingleton<AuditSearch>();
        builder.Services.AddSingleton<BackupService>();
        builder.Services.AddSingleton<OverviewService>();
        return builder;
    }

    /// <summary>Every <c>/admin/*</c> endpoint: any operator may read, writes need the admin role.</summary>
    public static WebApplication MapAdminApi(this WebApplication app)
    {
        var admin = app.MapGroup("/admin").RequireAuthorization(AdminRoles.CanRead).DisableAntiforgery();
        admin.MapSettingsApi()
            .MapBlacklistApi()
            .MapMonitoringApi()
            .MapOperationsApi()
            .MapAuditApi()
            .MapBackupsApi()
            .MapDoctorApi()
            .MapAccountApi();
        return app;
    }
}
