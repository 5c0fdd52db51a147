using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SmsBridge.AppHost.Dashboard;

/// <summary>
/// Who may use the dashboard: a browser that opened the printed link (token, then a session cookie), and
/// exporters that send the OTLP API key. Everyone else gets 401. Secrets are compared in constant time.
/// </summary>
internal static class DashboardSecurity
{
    public const string CookieName = "smsbridge_dashboard";

    /// <summary>Actions (restart, stop) must come from the dashboard's own script: a cross-site form cannot set this header.</summary>
    public const string ActionHeader = "X-Dashboard-Action";

    public static void UseDashboardSecurity(this WebApplication app, DashboardServer dashboard)
    {
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers["X-Content-Type-Options"] = "nosniff";
            headers["X-Frame-Options"] = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cache-Control"] = "no-store";
            headers["Content-Security-Policy"] =
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

            var path = context.Request.Path;
            if (path.StartsWithSegments("/v1"))
            {
                if (!SecretEquals(context.Request.Headers[DashboardServer.OtlpApiKeyHeader].ToString(), dashboard.OtlpApiKey))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }

                await next(context);
                return;
            }

            if (path == "/login")
            {
                if (!SecretEquals(context.Request.Query["t"].ToString(), dashboard.Token))
                {
                    await RefuseAsync(context, "The token in this link is not this run's token.");
                    return;
                }

                context.Response.Cookies.Append(CookieName, dashboard.SessionSecret, new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    Path = "/",
                    IsEssential = true,
                });
                context.Response.Redirect("/");
                return;
            }

            if (!SecretEquals(context.Request.Cookies[CookieName] ?? "", dashboard.SessionSecret))
            {
                await RefuseAsync(context, "Open the dashboard link the AppHost printed at start-up; it carries the login token.");
                return;
            }

            if (HttpMethods.IsPost(context.Request.Method) && !context.Request.Headers.ContainsKey(ActionHeader))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            await next(context);
        });
    }

    private static async Task RefuseAsync(HttpContext context, string reason)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(Html.Page("Sign-in required", "", $"""
            <section class="refused"><h1>Sign-in required</h1><p>{Html.Encode(reason)}</p></section>
            """));
    }

    private static bool SecretEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
