using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

public static partial class Extensions
{
    /// <summary>Checks with this tag make up liveness (<c>/alive</c>); readiness (<c>/health</c>) runs all.</summary>
    public const string LiveTag = "live";

    private static readonly Dictionary<HealthStatus, int> HealthStatusCodes = new()
    {
        [HealthStatus.Healthy] = StatusCodes.Status200OK,
        [HealthStatus.Degraded] = StatusCodes.Status200OK,
        [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
    };

    private static void MapHealthEndpoints(this WebApplication app)
    {
        // Mapped in every environment: the contract and the compose healthchecks need them.
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResultStatusCodes = HealthStatusCodes,
            ResponseWriter = WriteHealthBody,
        }).DisableHttpMetrics();

        app.MapHealthChecks("/alive", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(LiveTag),
            ResultStatusCodes = HealthStatusCodes,
            ResponseWriter = WriteHealthBody,
        }).DisableHttpMetrics();
    }

    /// <summary>The contract's health body: status, service, version, timestamp and one status per check.</summary>
    private static Task WriteHealthBody(HttpContext context, HealthReport report)
    {
        var identity = context.RequestServices.GetRequiredService<ServiceIdentity>();
        var time = context.RequestServices.GetRequiredService<TimeProvider>();
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var body = new Dictionary<string, object>
        {
            ["status"] = Lower(report.Status),
            ["service"] = identity.ServiceName,
            ["version"] = identity.Version,
            ["timestamp"] = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"),
            ["checks"] = report.Entries.Where(e => e.Key != "self").ToDictionary(e => e.Key, e => Lower(e.Value.Status)),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }

    private static string Lower(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
