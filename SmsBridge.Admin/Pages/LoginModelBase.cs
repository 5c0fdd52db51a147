using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SmsBridge.Admin.Accounts;
using SmsBridge.Admin.Auditing;

namespace SmsBridge.Admin.Pages;

/// <summary>What the password page and the code page share: the error texts and the final sign-in.</summary>
public abstract class LoginModelBase(AdminAudit audit, IOptions<LoginOptions> options) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; protected set; }

    protected IActionResult Refused(LoginResult result, string wrong)
    {
        Error = result.Outcome switch
        {
            LoginOutcome.LockedOut => $"Too many failed attempts: this account is locked. Try again in {Math.Ceiling(result.RetryAfter!.Value.TotalMinutes):0} minutes.",
            LoginOutcome.Throttled => "Too many failed attempts from this address. Wait a minute.",
            _ => wrong,
        };
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }

    /// <summary>Signs the operator in to the UI; an account that must still enrol a second factor goes to its account page.</summary>
    protected async Task<IActionResult> SignInAsync(AdminUser user, string method, CancellationToken cancellationToken)
    {
        var mustEnrol = options.Value.RequireSecondFactor && !user.HasSecondFactor;
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            AccountClaims.Principal(user.Username, user.Role, CookieAuthenticationDefaults.AuthenticationScheme, method, mustEnrol));
        await audit.WriteAsync(new Actor(user.Username, Actor.SourceOf(HttpContext)), "auth.login", null,
            new Dictionary<string, object?> { ["via"] = "web", ["method"] = method }, cancellationToken);
        if (mustEnrol)
        {
            TempData["Message"] = "This installation requires two-step sign-in: set it up to continue.";
            return LocalRedirect("/account");
        }

        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
