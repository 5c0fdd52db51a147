using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using BadHttpRequestException = Microsoft.AspNetCore.Http.BadHttpRequestException;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SmsBridge.ServiceDefaults.Web;

namespace Microsoft.Extensions.Hosting;

public static partial class Extensions
{
    private static TBuilder AddWebDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            var outage = DependencyOutage.Of(context.Exception);
            if (outage is not null)
            {
                Problem.Stamp(problem, ErrorCodes.ServiceUnavailable);
                problem.Detail = DependencyOutage.Detail(outage);
                problem.Extensions["retry_after_seconds"] = (int)DependencyOutage.RetryAfter.TotalSeconds;
            }
            else if (!problem.Extensions.ContainsKey("code")) Problem.Stamp(problem, ErrorCodes.ForStatus(status));

            problem.Extensions.Remove("traceId");
            if (status >= 500 && context.Exception is not null and not BadHttpRequestException && outage is null)
            {
                problem.Detail = "An unexpected error occurred. It has been logged.";
            }

            if (problem.Extensions.TryGetValue("retry_after_seconds", out var wait) && wait is not null)
            {
                context.HttpContext.Response.Headers.RetryAfter = wait.ToString();
            }
        });

        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = builder.Configuration.GetValue("Web:MaxRequestBodyBytes", 64 * 1024);
        });

        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            // Forwarded headers are believed only from proxies the operator names; by default from none.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var cidr in builder.Configuration.GetSection("ForwardedHeaders:TrustedProxies").Get<string[]>() ?? [])
            {
                options.KnownIPNetworks.Add(IPNetwork.Parse(cidr));
            }
        });

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        if (builder is WebApplicationBuilder web && builder.Configuration.GetValue<int?>("Management:Port") is { } managementPort)
        {
            web.WebHost.UseUrls(WithManagementUrl(builder.Configuration, managementPort));
        }

        return builder;
    }

    /// <summary>The public URLs plus one on the management port, on the same host as the first public URL.</summary>
    private static string[] WithManagementUrl(IConfiguration configuration, int managementPort)
    {
        var urls = configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls is null || urls.Length == 0)
        {
            urls = configuration["http_ports"] is { Length: > 0 } ports
                ? ports.Split(';').Select(p => $"http://+:{p}").ToArray()
                : ["http://localhost:5000"];
        }

        var first = urls[0];
        var host = first[(first.IndexOf("://", StringComparison.Ordinal) + 3)..];
        host = host[..host.LastIndexOf(':')];
        return [.. urls, $"http://{host}:{managementPort}"];
    }

    private static void UseWebDefaults(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<ReadOnlyEndpointsMiddleware>();
        app.UseExceptionHandler(DependencyOutage.HandlerOptions());
        app.UseStatusCodePages();
    }

    /// <summary>
    /// For an app of plain server-rendered pages (the development tools): a Content-Security-Policy that allows only its own
    /// stylesheet and forms posting back to itself, and its static files.
    /// </summary>
    public static WebApplication UseScriptlessPages(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.Headers.ContentSecurityPolicy =
                "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            return next(context);
        });
        app.UseStaticFiles();
        return app;
    }
}
