using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using SmsBridge.Admin.Accounts;
using SmsBridge.ServiceDefaults.Web;

namespace Microsoft.Extensions.Hosting;

public static class AuthExtensions
{
    private const string PolicyScheme = "admin";

    /// <summary>
    /// Basic for scripts, cookie + antiforgery for the UI, behind one policy scheme that picks Basic when an
    /// Authorization header is present. API paths (<c>/admin/*</c>) answer 401/403 problems instead of redirects.
    /// </summary>
    public static IHostApplicationBuilder AddAdminAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<LoginOptions>(builder.Configuration.GetSection("Admin:Login"));
        builder.Services.AddMemoryCache(o => o.SizeLimit = 10_000);
        builder.Services.AddSingleton<UserStore>();
        builder.Services.AddSingleton<LoginService>();
        builder.Services.AddHostedService<FirstAdminSetup>();

        builder.Services.AddAuthentication(PolicyScheme)
            .AddPolicyScheme(PolicyScheme, "Basic or cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count > 0 ? BasicAuthenticationHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(BasicAuthenticationHandler.SchemeName, null)
            .AddCookie(o =>
            {
                o.Cookie.Name = "sb_admin";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.AccessDeniedPath = "/denied";
                o.Events.OnRedirectToLogin = context =>
                {
                    if (!IsApi(context.Request)) return Redirect(context);
                    context.Response.Headers.WWWAuthenticate = "Basic realm=\"SMS Bridge admin\", charset=\"UTF-8\"";
                    return Problem.Unauthorized().ExecuteAsync(context.HttpContext);
                };
                o.Events.OnRedirectToAccessDenied = context => IsApi(context.Request)
                    ? AdminProblems.Forbidden().ExecuteAsync(context.HttpContext)
                    : Redirect(context);
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminRoles.CanRead, p => p.RequireRole(AdminRoles.Admin, AdminRoles.Viewer))
            .AddPolicy(AdminRoles.CanWrite, p => p.RequireRole(AdminRoles.Admin));

        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "sb_antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return builder;
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/admin", StringComparison.Ordinal);

    private static Task Redirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
