using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SmsBridge.ServiceDefaults.Secrets;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The Aspire service defaults: one call per service wires telemetry, metrics, health, resilience,
/// service discovery, logging and the web defaults.
/// </summary>
public static partial class Extensions
{
    /// <param name="requiredSecrets">
    /// The settings this service cannot run without (<c>Secrets:HashKey</c>, <c>ConnectionStrings:smsbridge</c>): in Production
    /// an absent one stops the start, as a weak one does.
    /// </param>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, params IEnumerable<string> requiredSecrets)
        where TBuilder : IHostApplicationBuilder
    {
        try
        {
            builder.AddSecretSettings(requiredSecrets);
        }
        catch (SecretSettingException refused)
        {
            // An operator's mistake, not a bug: one line that says what to fix, and the exit code a supervisor reports,
            // rather than a stack trace and SIGABRT.
            Console.Error.WriteLine(refused.Message);
            Environment.Exit(1);
        }

        builder.Services.AddSingleton(ServiceIdentity.From(builder));
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.ConfigureLogging();
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddWebDefaults();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseWebDefaults();
        app.MapHealthEndpoints();
        app.MapPrometheusScrapingEndpoint();
        return app;
    }
}
