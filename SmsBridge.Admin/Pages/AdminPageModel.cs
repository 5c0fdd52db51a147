using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmsBridge.Admin.Accounts;
using SmsBridge.Admin.Auditing;

namespace SmsBridge.Admin.Pages;

/// <summary>What every page shares: who acts, whether they may write, and post-redirect-get messages.</summary>
public abstract class AdminPageModel : PageModel
{
    public bool CanWrite => User.IsInRole(AdminRoles.Admin);

    protected Actor Actor => Actor.From(HttpContext);

    public static string Format(DateTimeOffset? value) => value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'") : "—";

    public static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");

    /// <summary>Redirects back to this page with the outcome as a message (post-redirect-get).</summary>
    protected IActionResult Done<T>(Outcome<T> outcome, string success)
    {
        if (outcome.Failure is { } failure) TempData["Error"] = failure.Field is null ? failure.Detail : $"{failure.Field}: {failure.Detail}";
        else TempData["Message"] = success;
        return RedirectToPage();
    }

    protected IActionResult Refused(string detail)
    {
        TempData["Error"] = detail;
        return RedirectToPage();
    }
}
