using System.Security.Claims;

namespace SmsBridge.Admin.Accounts;

/// <summary>What a signed-in operator's principal carries besides name and role, and the one place it is built.</summary>
public static class AccountClaims
{
    /// <summary>Set while an account that must enrol a second factor has not: it may only enrol (or sign out).</summary>
    public const string MustEnrol = "sb:must_enrol";

    /// <summary>The API token a request came with; such a request may not manage tokens or the second factor.</summary>
    public const string TokenId = "sb:token_id";

    public const string Password = "password";
    public const string PasswordAndCode = "password+totp";
    public const string PasswordAndRecoveryCode = "password+recovery_code";
    public const string Token = "api_token";

    public static ClaimsPrincipal Principal(string username, string role, string scheme, string method, bool mustEnrol = false, long? tokenId = null)
    {
        // NameIdentifier keeps antiforgery tokens bound to the operator, not to the set of claims, which changes
        // when a session gains its second factor.
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, username),
            new(ClaimTypes.Name, username),
            new(ClaimTypes.Role, role),
            new(ClaimTypes.AuthenticationMethod, method),
        ];
        if (mustEnrol) claims.Add(new Claim(MustEnrol, "true"));
        if (tokenId is { } id) claims.Add(new Claim(TokenId, id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public static bool MustStillEnrol(this ClaimsPrincipal user) => user.HasClaim(MustEnrol, "true");

    public static bool CameWithToken(this ClaimsPrincipal user) => user.HasClaim(c => c.Type == TokenId);
}
