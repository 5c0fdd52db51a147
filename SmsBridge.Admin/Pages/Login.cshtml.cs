using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SmsBridge.Admin.Accounts;
using SmsBridge.Admin.Auditing;

namespace SmsBridge.Admin.Pages;

[EnableRateLimiting(AdminUiExtensions.LoginRateLimit)]
public sealed class LoginModel(LoginService login, AdminAudit audit, IOptions<LoginOptions> options) : LoginModelBase(audit, options)
{
    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await login.CheckAsync(Username?.Trim() ?? "", Password ?? "", Actor.SourceOf(HttpContext), cancellationToken);
        if (result is not { Outcome: LoginOutcome.Succeeded, User: { } user }) return Refused(result, "Wrong username or password.");
        if (!user.HasSecondFactor) return await SignInAsync(user, AccountClaims.Password, cancellationToken);

        // The password is right; the session starts only once the code is too.
        await HttpContext.SignInAsync(AuthExtensions.CodeStepScheme,
            AccountClaims.Principal(user.Username, user.Role, AuthExtensions.CodeStepScheme, AccountClaims.Password));
        return RedirectToPage("/LoginCode", new { ReturnUrl });
    }
}
