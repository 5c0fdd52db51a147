using Microsoft.AspNetCore.DataProtection;
using SmsBridge.Admin.Auditing;
using SmsBridge.ServiceDefaults.Web;

namespace SmsBridge.Admin.Accounts.SecondFactor;

/// <summary>What an operator sees of their second factor.</summary>
public sealed record SecondFactorStatus(bool Enrolled, DateTimeOffset? EnrolledAt, int RecoveryCodesLeft, bool Required);

/// <summary>A key being enrolled, shown once: the operator scans the QR code (or types the key) and confirms with a code.</summary>
public sealed record Enrolment(string Key, string OtpAuthUri, string QrCodeSvg);

/// <summary>
/// TOTP enrolment and the code step of a sign-in. Keys are kept encrypted with the admin service's Data Protection keys
/// (the same ring that protects the session cookies). A wrong code counts towards the account's lockout exactly as a
/// wrong password does, and every step is audited.
/// </summary>
public sealed class SecondFactorService(
    SecondFactorStore store, AdminChanges changes, LoginService login, IDataProtectionProvider protection,
    Microsoft.Extensions.Options.IOptions<LoginOptions> options, TimeProvider time)
{
    private readonly IDataProtector _protector = protection.CreateProtector("SmsBridge.Admin.SecondFactor.v1");

    public async Task<SecondFactorStatus?> StatusAsync(string username, CancellationToken cancellationToken) =>
        await store.FindAsync(username, cancellationToken) is { } keys
            ? new SecondFactorStatus(keys.Active is not null, keys.EnrolledAt, keys.RecoveryCodesLeft, options.Value.RequireSecondFactor)
            : null;

    /// <summary>A new key for the account, pending until confirmed; an enrolled key stays in force until then.</summary>
    public async Task<Enrolment> StartAsync(Actor actor, CancellationToken cancellationToken)
    {
        var key = AuthenticatorKey.Generate();
        var started = await changes.RunAsync<Enrolment>(actor, async change =>
        {
            await store.SetPendingAsync(change.Transaction, actor.Name, _protector.Protect(key.Base32), cancellationToken);
            change.Audit("auth.second_factor_enrolment_started", actor.Name);
            return Show(key, actor.Name);
        }, cancellationToken);
        return started.Value!;
    }

    /// <summary>The enrolment in progress, shown again after a mistyped code; null when there is none.</summary>
    public async Task<Enrolment?> PendingAsync(string username, CancellationToken cancellationToken) =>
        await store.FindAsync(username, cancellationToken) is { Pending: { } pending } ? Show(Key(pending), username) : null;

    /// <summary>Confirms the pending key with a code from the app; answers the ten recovery codes, shown only now.</summary>
    public async Task<Outcome<IReadOnlyList<string>>> ConfirmAsync(Actor actor, string? code, CancellationToken cancellationToken)
    {
        var (refusal, failures) = await login.GuardAsync(actor.Name, actor.SourceAddress, cancellationToken);
        if (refusal is not null) return new Failure(StatusCodes.Status403Forbidden, ErrorCodes.AccountLocked, "Too many wrong codes or passwords: try again later.");
        var keys = await store.FindAsync(actor.Name, cancellationToken);
        if (keys?.Pending is not { } pending) return Failure.Conflict(ErrorCodes.Conflict, "No enrolment is in progress: start one first.");

        var typed = (code ?? "").Trim();
        var step = AuthenticatorKey.IsCodeShaped(typed) ? Key(pending).StepOf(typed, time.GetUtcNow()) : null;
        if (step is null)
        {
            await login.FailAsync(actor.Name, actor.SourceAddress, failures, "auth.second_factor_failed", cancellationToken);
            return Failure.Validation("does not match the key; check that the phone's clock is right and type the code shown now", "code");
        }

        var recoveryCodes = RecoveryCodes.Generate();
        return await changes.RunAsync<IReadOnlyList<string>>(actor, async change =>
        {
            if (!await store.ConfirmAsync(change.Transaction, actor.Name, pending, step.Value, recoveryCodes.Select(RecoveryCodes.Hash),
                    time.GetUtcNow(), cancellationToken))
            {
                return Failure.Conflict(ErrorCodes.Conflict, "The enrolment was restarted meanwhile: confirm the newest key.");
            }

            change.Audit("auth.second_factor_enrolled", actor.Name);
            return new Outcome<IReadOnlyList<string>>(recoveryCodes, null);
        }, cancellationToken);
    }

    /// <summary>The code step of a sign-in: a current TOTP code (each usable once) or an unused recovery code.</summary>
    public async Task<LoginResult> VerifyAsync(AdminUser user, string? code, string? sourceAddress, CancellationToken cancellationToken)
    {
        var (refusal, failures) = await login.GuardAsync(user.Username, sourceAddress, cancellationToken);
        if (refusal is not null) return refusal;

        var typed = (code ?? "").Trim();
        var now = time.GetUtcNow();
        string? method = null;
        if (AuthenticatorKey.IsCodeShaped(typed))
        {
            if (await store.FindAsync(user.Username, cancellationToken) is { Active: { } active }
                && Key(active).StepOf(typed, now) is { } step
                && await store.UseStepAsync(user.Username, step, cancellationToken))
            {
                method = AccountClaims.PasswordAndCode;
            }
        }
        else if (RecoveryCodes.Normalise(typed) is { } recovery)
        {
            var spent = await changes.RunAsync<bool>(new Actor(user.Username, sourceAddress), async change =>
            {
                if (!await store.UseRecoveryCodeAsync(change.Transaction, user.Username, RecoveryCodes.Hash(recovery), now, cancellationToken))
                {
                    return Failure.NotFound("no such unused recovery code");
                }

                change.Audit("auth.recovery_code_used", user.Username);
                return true;
            }, cancellationToken);
            if (spent.Succeeded) method = AccountClaims.PasswordAndRecoveryCode;
        }

        if (method is null) return await login.FailAsync(user.Username, sourceAddress, failures, "auth.second_factor_failed", cancellationToken);
        if (failures > 0) await login.SucceededAsync(user.Username, cancellationToken);
        return new LoginResult(LoginOutcome.Succeeded, user, Method: method);
    }

    private static Enrolment Show(AuthenticatorKey key, string username) => new(key.Base32, key.OtpAuthUri(username), key.QrCodeSvg(username));

    private AuthenticatorKey Key(string protectedKey) => new(OtpNet.Base32Encoding.ToBytes(_protector.Unprotect(protectedKey)));
}
