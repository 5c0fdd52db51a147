using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SmsBridge.Admin.Accounts;
using SmsBridge.Admin.Accounts.SecondFactor;
using SmsBridge.Admin.Auditing;

namespace SmsBridge.Admin.Pages;

/// <summary>The second step of signing in: the code from the authenticator app, or one of the recovery codes.</summary>
[EnableRateLimiting(AdminUiExtensions.LoginRateLimit)]
public sealed class LoginCodeModel(UserStore users, SecondFactorService secondFactor, AdminAudit audit, IOptions<LoginOptions> options)
    : LoginModelBase(audit, options)
{
    [BindProperty]
    public string? Code { get; set; }

    public async Task<IActionResult> OnGetAsync() => await PendingUserAsync() is null ? RestartSignIn() : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var username = await PendingUserAsync();
        if (username is null || await users.FindAsync(username, cancellationToken) is not { HasSecondFactor: true } user) return RestartSignIn();

        var result = await secondFactor.VerifyAsync(user, Code, Actor.SourceOf(HttpContext), cancellationToken);
        if (result.Outcome != LoginOutcome.Succeeded) return Refused(result, "That code is not right. Type the code the app shows now, or a recovery code.");
        await HttpContext.SignOutAsync(AuthExtensions.CodeStepScheme);
        return await SignInAsync(user, result.Method, cancellationToken);
    }

    private async Task<string?> PendingUserAsync() =>
        (await HttpContext.AuthenticateAsync(AuthExtensions.CodeStepScheme)).Principal?.Identity?.Name;

    private IActionResult RestartSignIn()
    {
        TempData["Error"] = "Sign in with your password first (the code step lasts a few minutes).";
        return RedirectToPage("/Login", new { ReturnUrl });
    }
}
