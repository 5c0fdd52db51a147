using System.Threading.RateLimiting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.RateLimiting;
using SmsBridge.Admin.Accounts;
using SmsBridge.ServiceDefaults.Web;

namespace Microsoft.Extensions.Hosting;

public static class AdminUiExtensions
{
    public const string LoginRateLimit = "login";

    /// <summary>
    /// The operators' web UI: server-rendered Razor Pages that need the cookie login, a strict CSP (own scripts and
    /// styles only, no CDN), Data Protection keys kept in the admin data folder so sessions survive restarts.
    /// </summary>
    public static IHostApplicationBuilder AddAdminUi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/", AdminRoles.CanRead);
            o.Conventions.AllowAnonymousToPage("/Login");
            o.Conventions.AllowAnonymousToPage("/LoginCode");
            o.Conventions.AllowAnonymousToPage("/Denied");
        });

        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("sms-bridge-admin");
        if (builder.Configuration["Admin:DataDirectory"] is { Length: > 0 } folder)
        {
            dataProtection.PersistKeysToFileSystem(Directory.CreateDirectory(Path.Combine(folder, "keys")));
        }

        var perMinute = builder.Configuration.GetValue("Admin:Login:FormPostsPerMinutePerAddress", 20);
        builder.Services.AddRateLimiter(o =>
        {
            o.AddPolicy(LoginRateLimit, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("get"));
            o.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                return new ValueTask(Problem.Of(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
                    "Too many login attempts from this address. Wait a minute.", TimeSpan.FromMinutes(1)).ExecuteAsync(context.HttpContext));
            };
        });
        return builder;
    }

    public static WebApplication UseAdminUi(this WebApplication app)
    {
        // Pages fail as pages (503 during an outage, in the layout); the API keeps its problem+json from the service defaults.
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/admin", StringComparison.Ordinal),
            ui => ui.UseExceptionHandler(DependencyOutage.HandlerOptions("/error")));
        app.Use((context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/admin", StringComparison.Ordinal))
            {
                context.Response.Headers.ContentSecurityPolicy =
                    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; " +
                    "frame-ancestors 'none'; base-uri 'none'";
            }

            return next(context);
        });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseSecondFactorEnrolmentGate();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapAdminUi(this WebApplication app)
    {
        app.MapRazorPages();
        return app;
    }
}
