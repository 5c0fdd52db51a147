using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using SmsBridge.Admin.Auditing;
using SmsBridge.ServiceDefaults.Web;

namespace SmsBridge.Admin.Accounts.Tokens;

/// <summary>A token just created: <see cref="Secret"/> is shown this once and never again.</summary>
public sealed record CreatedToken(ApiToken Token, string Secret);

/// <summary>
/// Per-operator API tokens for scripts (<c>Authorization: Bearer sbat_…</c>): a name, a role no higher than the
/// creator's and an expiry; 256 random bits stored as SHA-256 (a hash of that much randomness cannot be guessed
/// back, so no slow hash is needed and lookup is by the hash itself); revocable; last use recorded at most once a minute.
/// </summary>
public sealed class ApiTokenService(ApiTokenStore store, AdminChanges changes, TimeProvider time)
{
    public const string Prefix = "sbat_";
    public const int MaxNameLength = 64;
    public const int DefaultDays = 90;
    public const int MaxDays = 365;
    private static readonly TimeSpan UseRecordedEvery = TimeSpan.FromMinutes(1);

    public async Task<Outcome<CreatedToken>> CreateAsync(ClaimsPrincipal creator, Actor actor, string? name, string? role, int? expiresInDays,
        CancellationToken cancellationToken)
    {
        if (Refusal(creator) is { } refusal) return refusal;
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            return Failure.Validation($"give the token a name of 1 to {MaxNameLength} printable characters", "name");
        }

        var creatorRole = creator.IsInRole(AdminRoles.Admin) ? AdminRoles.Admin : AdminRoles.Viewer;
        role ??= creatorRole;
        if (!AdminRoles.IsKnown(role)) return Failure.Validation("must be admin or viewer", "role");
        if (role == AdminRoles.Admin && creatorRole != AdminRoles.Admin) return Failure.Validation("a viewer can only create viewer tokens", "role");
        var days = expiresInDays ?? DefaultDays;
        if (days is < 1 or > MaxDays) return Failure.Validation($"must be between 1 and {MaxDays} days", "expires_in_days");

        var secret = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        return await changes.RunAsync<CreatedToken>(actor, async change =>
        {
            var token = await store.CreateAsync(change.Transaction, actor.Name, name, role, Hash(secret), now, now.AddDays(days), cancellationToken);
            if (token is null) return Failure.Conflict(ErrorCodes.AlreadyExists, $"you already have a live token named '{name}'", "name");
            change.Audit("token.created", name, new Dictionary<string, object?>
            {
                ["token_id"] = token.Id, ["role"] = role, ["expires_at"] = token.ExpiresAt,
            });
            return new CreatedToken(token, secret);
        }, cancellationToken);
    }

    /// <summary>An operator's own tokens; an admin sees everyone's, so a leaver's tokens can be found and revoked.</summary>
    public Task<IReadOnlyList<ApiToken>> ListAsync(ClaimsPrincipal viewer, CancellationToken cancellationToken) =>
        store.ListAsync(viewer.IsInRole(AdminRoles.Admin) ? null : viewer.Identity!.Name, cancellationToken);

    /// <summary>Revokes a token of one's own, or any token for an admin.</summary>
    public async Task<Outcome<ApiToken>> RevokeAsync(ClaimsPrincipal revoker, Actor actor, long id, CancellationToken cancellationToken)
    {
        if (Refusal(revoker) is { } refusal) return refusal;
        var token = await store.FindAsync(id, cancellationToken);
        if (token is null || (token.Owner != actor.Name && !revoker.IsInRole(AdminRoles.Admin))) return Failure.NotFound($"there is no token {id} of yours");
        if (token.RevokedAt is not null) return token;

        var now = time.GetUtcNow();
        var revoked = await changes.RunAsync<ApiToken>(actor, async change =>
        {
            if (!await store.RevokeAsync(change.Transaction, id, actor.Name, now, cancellationToken))
            {
                return Failure.Conflict(ErrorCodes.Conflict, "the token was revoked meanwhile"); // nothing changed, nothing to audit
            }

            change.Audit("token.revoked", token.Name, new Dictionary<string, object?> { ["token_id"] = id, ["owner"] = token.Owner });
            return token with { RevokedAt = now, RevokedBy = actor.Name };
        }, cancellationToken);
        // Revoked by someone else meanwhile: answer the token as it now stands, as for one revoked before.
        return revoked.Succeeded ? revoked : await store.FindAsync(id, cancellationToken) ?? token;
    }

    /// <summary>The principal a presented token stands for, or null when it is unknown, revoked or expired.</summary>
    public async Task<ClaimsPrincipal?> AuthenticateAsync(string presented, string scheme, string? sourceAddress, CancellationToken cancellationToken)
    {
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length > 100) return null;
        var now = time.GetUtcNow();
        if (await store.FindLiveAsync(Hash(presented), now, cancellationToken) is not { } holder) return null;
        if (holder.LastUsedAt is not { } last || now - last >= UseRecordedEvery) await store.RecordUseAsync(holder.Id, now, sourceAddress, cancellationToken);

        // A token never acts above its owner's current role: demoting the owner demotes the token.
        var role = holder.OwnerRole == AdminRoles.Admin ? holder.TokenRole : AdminRoles.Viewer;
        return AccountClaims.Principal(holder.Username, role, scheme, AccountClaims.Token, tokenId: holder.Id);
    }

    /// <summary>A token may not mint or revoke tokens (a leaked one must not make more), nor may a sign-in that still has to enrol.</summary>
    private static Failure? Refusal(ClaimsPrincipal user) =>
        user.CameWithToken() ? new Failure(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden,
                "An API token cannot manage tokens: sign in with your password to do that.")
            : user.MustStillEnrol() ? new Failure(StatusCodes.Status403Forbidden, ErrorCodes.SecondFactorEnrolmentRequired,
                "Set up two-step sign-in first: this installation requires it before anything else.")
            : null;

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.ASCII.GetBytes(secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
