using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmsBridge.ServiceDefaults.Web;

namespace SmsBridge.Admin.Pages;

/// <summary>
/// What a browser sees when a page failed (the exception handler re-runs the request here, GET or POST, with the status it
/// chose): during a PostgreSQL or Redis outage a 503 page with Retry-After saying what is down and to retry; otherwise a 500.
/// It reads nothing from either, so it renders while they are down.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken] // it changes nothing, and the failed form's token was for the failed page
public sealed class ErrorModel : PageModel
{
    /// <summary>"database", "cache" or "cache or database" during an outage; null for any other failure.</summary>
    public string? Dependency { get; private set; }

    public static string Describe(string dependency) => dependency switch
    {
        "database" => "PostgreSQL (the database)",
        "cache" => "Redis (the cache)",
        _ => "Redis (the cache) or PostgreSQL (the database)",
    };

    public IActionResult OnGet() => Render();

    public IActionResult OnPost() => Render();

    private IActionResult Render()
    {
        if (HttpContext.Features.Get<IExceptionHandlerFeature>() is not { } failure) return NotFound();
        Dependency = DependencyOutage.Of(failure.Error);
        if (Dependency is not null)
        {
            Response.Headers.RetryAfter = ((int)DependencyOutage.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        return Page();
    }
}
