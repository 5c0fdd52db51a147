using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using SmsBridge.Admin.Accounts;
using SmsBridge.Admin.Auditing;

namespace SmsBridge.Admin.Pages;

[EnableRateLimiting(AdminUiExtensions.LoginRateLimit)]
public sealed class LoginModel(LoginService login, AdminAudit audit) : PageModel
{
    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var source = Actor.SourceOf(HttpContext);
        var result = await login.CheckAsync(Username?.Trim() ?? "", Password ?? "", source, cancellationToken);
        if (result is not { Outcome: LoginOutcome.Succeeded, User: { } user })
        {
            Error = result.Outcome switch
            {
                LoginOutcome.LockedOut => $"Too many failed attempts: this account is locked. Try again in {Math.Ceiling(result.RetryAfter!.Value.TotalMinutes):0} minutes.",
                LoginOutcome.Throttled => "Too many failed attempts from this address. Wait a minute.",
                _ => "Wrong username or password.",
            };
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Username), new Claim(ClaimTypes.Role, user.Role)], CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        await audit.WriteAsync(new Actor(user.Username, source), "auth.login", null, new Dictionary<string, object?> { ["via"] = "web" }, cancellationToken);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
