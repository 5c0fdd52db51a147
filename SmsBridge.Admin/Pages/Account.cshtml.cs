using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using SmsBridge.Admin.Accounts;
using SmsBridge.Admin.Accounts.SecondFactor;
using SmsBridge.Admin.Accounts.Tokens;

namespace SmsBridge.Admin.Pages;

/// <summary>
/// The operator's own account: two-step sign-in (enrol with a QR code, confirm with a code, recovery codes shown
/// once) and API tokens (created with a name, role and expiry, shown once, revocable).
/// </summary>
public sealed class AccountModel(SecondFactorService secondFactor, ApiTokenService tokens, TimeProvider time) : AdminPageModel
{
    public SecondFactorStatus? SecondFactor { get; private set; }

    public IReadOnlyList<ApiToken> Tokens { get; private set; } = [];

    /// <summary>Set only in the answer that starts (or retries) an enrolment.</summary>
    public Enrolment? Enrolment { get; private set; }

    /// <summary>Set only in the answer that confirms an enrolment.</summary>
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    /// <summary>Set only in the answer that creates a token.</summary>
    public CreatedToken? Created { get; private set; }

    public string? Problem { get; private set; }

    public string Username => User.Identity!.Name!;

    public bool IsLive(ApiToken token) => token.RevokedAt is null && token.ExpiresAt > time.GetUtcNow();

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostStartAsync(CancellationToken cancellationToken)
    {
        Enrolment = await secondFactor.StartAsync(Actor, cancellationToken);
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync(string? code, CancellationToken cancellationToken)
    {
        var outcome = await secondFactor.ConfirmAsync(Actor, code, cancellationToken);
        if (outcome.Failure is { } failure)
        {
            Problem = failure.Field is null ? failure.Detail : $"The code {failure.Detail}.";
            Enrolment = await secondFactor.PendingAsync(Username, cancellationToken);
            Response.StatusCode = failure.Status;
        }
        else
        {
            RecoveryCodes = outcome.Value;
            // The session now rests on both factors, and an enrolment the installation required is done.
            var role = CanWrite ? AdminRoles.Admin : AdminRoles.Viewer;
            await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                AccountClaims.Principal(Username, role, CookieAuthenticationDefaults.AuthenticationScheme, AccountClaims.PasswordAndCode));
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateTokenAsync(string? name, string? role, int? expiresInDays, CancellationToken cancellationToken)
    {
        var outcome = await tokens.CreateAsync(User, Actor, name, role, expiresInDays, cancellationToken);
        if (outcome.Failure is { } failure) return Refused(failure.Field is null ? failure.Detail : $"{failure.Field}: {failure.Detail}");
        Created = outcome.Value;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id, CancellationToken cancellationToken) =>
        Done(await tokens.RevokeAsync(User, Actor, id, cancellationToken), "The token is revoked.");

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        SecondFactor = await secondFactor.StatusAsync(Username, cancellationToken);
        Tokens = await tokens.ListAsync(User, cancellationToken);
    }
}
