using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace SmsBridge.ServiceDefaults.Web;

/// <summary>
/// <c>/health</c>, <c>/alive</c> and (on the management port) <c>/metrics</c> only answer GET and HEAD; anything else gets
/// the contract's 405 with <c>Allow: GET, HEAD</c>. Health checks are mapped for every method and the Prometheus exporter is a
/// middleware that serves any, so without this a POST would run the checks or scrape; refused here, before either.
/// </summary>
internal sealed class ReadOnlyEndpointsMiddleware(RequestDelegate next, IConfiguration configuration)
{
    private readonly int? _managementPort = configuration.GetValue<int?>("Management:Port");

    public const string Allowed = "GET, HEAD";

    private static readonly PathString[] HealthPaths = ["/health", "/alive"];
    private static readonly PathString MetricsPath = "/metrics";

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || !IsReadOnly(context)) return next(context);

        context.Response.Headers.Allow = Allowed;
        return Problem.Of(StatusCodes.Status405MethodNotAllowed, ErrorCodes.MethodNotAllowed,
            $"{request.Path} answers {Allowed} only.").ExecuteAsync(context);
    }

    private bool IsReadOnly(HttpContext context)
    {
        // PathString compares case-insensitively, as routing matches; a trailing slash reaches the same endpoint.
        var path = new PathString(context.Request.Path.Value?.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/");
        return HealthPaths.Contains(path) || (path == MetricsPath && context.Connection.LocalPort == _managementPort);
    }
}
