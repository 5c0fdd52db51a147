using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SmsBridge.Admin.Accounts.SecondFactor;
using SmsBridge.Admin.Accounts.Tokens;
using SmsBridge.Admin.Auditing;

namespace SmsBridge.Admin.Accounts;

public sealed record ConfirmSecondFactorRequest(string? Code);

public sealed record CreateTokenRequest(string? Name, string? Role, int? ExpiresInDays);

/// <summary>A token as the API shows it; <see cref="Token"/> only in the answer that created it.</summary>
public sealed record TokenView(long Id, string Owner, string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt, string? RevokedBy, DateTimeOffset? LastUsedAt, string? LastUsedFrom, string? Token = null)
{
    public static TokenView Of(ApiToken t, string? secret = null) =>
        new(t.Id, t.Owner, t.Name, t.Role, t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.RevokedBy, t.LastUsedAt, t.LastUsedFrom, secret);
}

/// <summary>
/// The signed-in operator's own account: the TOTP second factor and API tokens. An API token cannot manage either
/// (a leaked token must not mint more), and an account that still has to enrol cannot create tokens.
/// </summary>
public static class AccountApi
{
    public static RouteGroupBuilder MapAccountApi(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/account").WithTags("Account");
        group.MapGet("/", async (ClaimsPrincipal user, SecondFactorService secondFactor, CancellationToken ct) => TypedResults.Ok(new
        {
            Username = user.Identity!.Name,
            Role = user.IsInRole(AdminRoles.Admin) ? AdminRoles.Admin : AdminRoles.Viewer,
            AuthenticationMethod = user.FindFirstValue(ClaimTypes.AuthenticationMethod),
            SecondFactor = await secondFactor.StatusAsync(user.Identity!.Name!, ct),
        }));
        group.MapPost("/second-factor", StartEnrolmentAsync);
        group.MapPost("/second-factor/confirm", ConfirmEnrolmentAsync);
        group.MapGet("/tokens", async (ClaimsPrincipal user, ApiTokenService tokens, CancellationToken ct) =>
            TypedResults.Ok(new { Tokens = (await tokens.ListAsync(user, ct)).Select(t => TokenView.Of(t)) }));
        group.MapPost("/tokens", CreateTokenAsync);
        group.MapDelete("/tokens/{id:long}", async (long id, ClaimsPrincipal user, ApiTokenService tokens, HttpContext context, CancellationToken ct) =>
            (await tokens.RevokeAsync(user, Actor.From(context), id, ct)).OkOr(t => TokenView.Of(t)));
        return admin;
    }

    private static async Task<Results<Ok<Enrolment>, ProblemHttpResult>> StartEnrolmentAsync(ClaimsPrincipal user, SecondFactorService secondFactor,
        HttpContext context, CancellationToken ct)
    {
        if (user.CameWithToken()) return TokenRefused();
        return TypedResults.Ok(await secondFactor.StartAsync(Actor.From(context), ct));
    }

    private static async Task<Results<Ok<RecoveryCodesView>, ProblemHttpResult>> ConfirmEnrolmentAsync(ConfirmSecondFactorRequest request,
        ClaimsPrincipal user, SecondFactorService secondFactor, HttpContext context, CancellationToken ct)
    {
        if (user.CameWithToken()) return TokenRefused();
        return (await secondFactor.ConfirmAsync(Actor.From(context), request.Code, ct)).OkOr(codes => new RecoveryCodesView(codes));
    }

    private static async Task<Results<Created<TokenView>, ProblemHttpResult>> CreateTokenAsync(CreateTokenRequest request, ClaimsPrincipal user,
        ApiTokenService tokens, HttpContext context, CancellationToken ct) =>
        (await tokens.CreateAsync(user, Actor.From(context), request.Name, request.Role, request.ExpiresInDays, ct))
            .CreatedOr(created => $"/admin/account/tokens/{created.Token.Id}", created => TokenView.Of(created.Token, created.Secret));

    private static ProblemHttpResult TokenRefused() =>
        AdminProblems.Forbidden("An API token cannot manage the second factor: sign in with your password to do that.");
}

public sealed record RecoveryCodesView(IReadOnlyList<string> RecoveryCodes);
