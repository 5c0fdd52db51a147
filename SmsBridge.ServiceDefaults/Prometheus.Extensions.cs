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

        // Matched on the port the connection arrived on, not the Host header: a client chooses its Host header
        // (and one reaching the management port through the admin service's forwarder names another port).
        app.MapGet("/metrics", (PrometheusMetricReader reader, HttpContext context) => context.Connection.LocalPort == port
                ? Results.Text(reader.Scrape(), PrometheusMetricReader.ContentType)
                : Results.NotFound())
            .ExcludeFromDescription()
            .DisableHttpMetrics();
    }
}
