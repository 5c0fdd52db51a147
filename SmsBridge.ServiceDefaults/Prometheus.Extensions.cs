using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

public static partial class Extensions
{
    /// <summary>
    /// <c>/metrics</c> from OpenTelemetry's Prometheus exporter, answered only on the management port
    /// (<c>Management:Port</c>), never on the public one. Without a management port there is no endpoint.
    /// </summary>
    private static void MapPrometheusScrapingEndpoint(this WebApplication app)
    {
        var port = app.Configuration.GetValue<int?>("Management:Port");
        if (port is null) return;

        // Matched on the port the connection arrived on, not the Host header (what RequireHost on the mapped endpoint
        // would match): a client chooses its Host header, and one reaching the management port through the admin
        // service's forwarder names another port. The predicate overload is the exporter's own way to do that.
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Connection.LocalPort == port && context.Request.Path == "/metrics");
    }
}
