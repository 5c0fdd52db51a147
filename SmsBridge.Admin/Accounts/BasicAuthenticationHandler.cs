using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SmsBridge.Admin.Auditing;
using SmsBridge.ServiceDefaults.Web;

namespace SmsBridge.Admin.Accounts;

/// <summary>HTTP Basic for scripts (<c>curl -u admin:…</c>); answers 401/403/429 with the contract's problem bodies.</summary>
public sealed class BasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, LoginService login,
    IOptions<LoginOptions> loginOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Basic";
    private const string ResultKey = "sb.basic.result";
    private const string SecondFactorRequired = "The account has a second factor.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !SchemeName.Equals(header.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        string username, password;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter ?? ""));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) return AuthenticateResult.Fail("Malformed Basic credentials.");
            (username, password) = (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return AuthenticateResult.Fail("Malformed Basic credentials.");
        }

        var result = await login.CheckAsync(username, password, Actor.SourceOf(Context), Context.RequestAborted);
        Context.Items[ResultKey] = result;
        if (result is not { Outcome: LoginOutcome.Succeeded, User: { } user }) return AuthenticateResult.Fail("Invalid credentials.");

        // Basic has nowhere to carry a one-time code, and a script cannot type one: accounts with a second factor
        // use the web UI, and their scripts use API tokens.
        if (user.HasSecondFactor) return AuthenticateResult.Fail(SecondFactorRequired);

        var principal = AccountClaims.Principal(user.Username, user.Role, SchemeName, AccountClaims.Password,
            mustEnrol: loginOptions.Value.RequireSecondFactor);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Basic realm=\"SMS Bridge admin\", charset=\"UTF-8\"";
        var problem = Context.Items[ResultKey] switch
        {
            LoginResult { Outcome: LoginOutcome.LockedOut, RetryAfter: var wait } => Problem.Of(StatusCodes.Status401Unauthorized,
                ErrorCodes.AccountLocked, "Too many failed logins: this account is locked for a while. Try again later.", wait),
            LoginResult { Outcome: LoginOutcome.Throttled, RetryAfter: var wait } => Problem.Of(StatusCodes.Status429TooManyRequests,
                ErrorCodes.RateLimited, "Too many failed logins from this address. Wait a minute.", wait),
            LoginResult { Outcome: LoginOutcome.Succeeded } => Problem.Of(StatusCodes.Status401Unauthorized, ErrorCodes.SecondFactorRequired,
                "This account signs in with a second factor, which HTTP Basic cannot carry: create an API token (Account in the web UI) " +
                "and send it as Authorization: Bearer."),
            _ => Problem.Unauthorized(),
        };
        return problem.ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AdminProblems.Forbidden().ExecuteAsync(Context);
}
