using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using SmsBridge.Admin.Accounts;
using SmsBridge.Admin.Accounts.SecondFactor;
using SmsBridge.Admin.Accounts.Tokens;
using SmsBridge.ServiceDefaults.Web;

namespace Microsoft.Extensions.Hosting;

public static class AuthExtensions
{
    private const string PolicyScheme = "admin";

    /// <summary>The sign-in between a correct password and its second-factor code.</summary>
    public const string CodeStepScheme = "login-code";

    private static readonly string[] EnrolmentPaths = ["/admin/account", "/account", "/logout"];

    /// <summary>
    /// Basic or an API token (Bearer) for scripts, cookie + antiforgery for the UI, behind one policy scheme that picks
    /// by the Authorization header. A correct password of an account with a second factor gets only a short-lived
    /// <see cref="CodeStepScheme"/> cookie that lets it type the code. API paths (<c>/admin/*</c>) answer 401/403
    /// problems instead of redirects.
    /// </summary>
    public static IHostApplicationBuilder AddAdminAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<LoginOptions>(builder.Configuration.GetSection("Admin:Login"));
        builder.Services.AddMemoryCache(o => o.SizeLimit = 10_000);
        builder.Services.AddSingleton<UserStore>();
        builder.Services.AddSingleton<LoginService>();
        builder.Services.AddSingleton<SecondFactorStore>();
        builder.Services.AddSingleton<SecondFactorService>();
        builder.Services.AddSingleton<ApiTokenStore>();
        builder.Services.AddSingleton<ApiTokenService>();
        builder.Services.AddHostedService<FirstAdminSetup>();

        builder.Services.AddAuthentication(PolicyScheme)
            .AddPolicyScheme(PolicyScheme, "Basic, token or cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString() switch
                {
                    "" => CookieAuthenticationDefaults.AuthenticationScheme,
                    var value when value.StartsWith(ApiTokenAuthenticationHandler.SchemeName + " ", StringComparison.OrdinalIgnoreCase) =>
                        ApiTokenAuthenticationHandler.SchemeName,
                    _ => BasicAuthenticationHandler.SchemeName,
                })
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(BasicAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddCookie(CodeStepScheme, o =>
            {
                o.Cookie.Name = "sb_login_code";
                o.Cookie.Path = "/login";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = builder.Configuration.GetValue("Admin:Login:CodeStepLifetime", TimeSpan.FromMinutes(5));
                o.SlidingExpiration = false;
                o.LoginPath = "/login";
            })
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

    /// <summary>
    /// While an account that must enrol a second factor has not, it may reach only its account (to enrol) and sign out;
    /// everything else answers 403 <c>SECOND_FACTOR_ENROLMENT_REQUIRED</c> (API) or leads to the account page (UI).
    /// </summary>
    public static WebApplication UseSecondFactorEnrolmentGate(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            if (!context.User.MustStillEnrol() || EnrolmentPaths.Any(allowed => path.StartsWithSegments(allowed, StringComparison.Ordinal)))
            {
                return next(context);
            }

            if (IsApi(context.Request)) return AdminProblems.EnrolmentRequired().ExecuteAsync(context);
            context.Response.Redirect("/account");
            return Task.CompletedTask;
        });
        return app;
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/admin", StringComparison.Ordinal);

    private static Task Redirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
