using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SmsBridge.ServiceDefaults.Telemetry;

namespace Microsoft.Extensions.Hosting;

public static partial class Extensions
{
    /// <summary>
    /// <c>/metrics</c> in Prometheus text format, answered only on the management port
    /// (<c>Management:Port</c>), never on the public one. Without a management port there is no endpoint.
    /// </summary>
    private static void MapPrometheusScrapingEndpoint(this WebApplication app)
    {
        var port = app.Configuration.GetValue<int?>("Management:Port");
        if (port is null) return;

        app.MapGet("/metrics", (PrometheusMetricReader reader) =>
                Results.Text(reader.Scrape(), PrometheusMetricReader.ContentType))
            .RequireHost($"*:{port}")
            .ExcludeFromDescription()
            .DisableHttpMetrics();
    }
}
