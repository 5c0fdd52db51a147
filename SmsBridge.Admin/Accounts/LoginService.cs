using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using SmsBridge.Admin.Auditing;

namespace SmsBridge.Admin.Accounts;

public enum LoginOutcome
{
    Succeeded,
    Failed,
    LockedOut,
    Throttled,
}

/// <summary>The verdict on a credential; <see cref="Method"/> says which factors a success rests on.</summary>
public sealed record LoginResult(LoginOutcome Outcome, AdminUser? User = null, TimeSpan? RetryAfter = null, string Method = AccountClaims.Password);

/// <summary>
/// Checks a username and password: lockout after <see cref="LoginOptions.MaxFailures"/> failures within the window
/// (counted in PostgreSQL, so every instance agrees), a per-address throttle on failures, and PBKDF2 verification.
/// A successful check is remembered for a minute under an HMAC of (user, stored hash, password) so that HTTP Basic
/// scripts do not pay for PBKDF2 on every request; changing the password changes the stored hash and so the key.
/// </summary>
public sealed class LoginService
{
    private static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(1);

    private readonly UserStore _users;
    private readonly AdminAudit _audit;
    private readonly TimeProvider _time;
    private readonly LoginOptions _options;
    private readonly IMemoryCache _verified;
    private readonly PasswordHasher<AdminUser> _hasher = PasswordRules.CreateHasher();
    private readonly byte[] _cacheKey = RandomNumberGenerator.GetBytes(32);
    private readonly PartitionedRateLimiter<string> _failuresByAddress;
    private readonly string _dummyHash;

    public LoginService(UserStore users, AdminAudit audit, TimeProvider time, IOptions<LoginOptions> options, IMemoryCache cache)
    {
        _users = users;
        _audit = audit;
        _time = time;
        _options = options.Value;
        _verified = cache;
        var perMinute = _options.FailuresPerMinutePerAddress;
        _failuresByAddress = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        // Unknown usernames still cost one PBKDF2 run, so timing does not tell which usernames exist.
        _dummyHash = _hasher.HashPassword(new AdminUser(0, "", "", ""), Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));
    }

    public async Task<LoginResult> CheckAsync(string username, string password, string? sourceAddress, CancellationToken cancellationToken)
    {
        var (refusal, failures) = await GuardAsync(username, sourceAddress, cancellationToken);
        if (refusal is not null) return refusal;

        var user = PasswordRules.IsValidUsername(username) ? await _users.FindAsync(username, cancellationToken) : null;
        if (user is not null && _verified.TryGetValue(RememberKey(user, password), out _)) return new LoginResult(LoginOutcome.Succeeded, user);

        var verdict = _hasher.VerifyHashedPassword(user ?? new AdminUser(0, username, "", ""), user?.PasswordHash ?? _dummyHash, password);
        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            return await FailAsync(username, sourceAddress, failures, "auth.login_failed", cancellationToken);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user = user with { PasswordHash = _hasher.HashPassword(user, password) };
            await _users.UpdateHashAsync(user.Id, user.PasswordHash, cancellationToken);
        }

        // An account with a second factor is not done yet: its failures are cleared once the code is right too.
        if (failures > 0 && !user.HasSecondFactor) await _users.ClearFailuresAsync(username, cancellationToken);
        _verified.Set(RememberKey(user, password), true, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = RememberFor, Size = 1 });
        return new LoginResult(LoginOutcome.Succeeded, user);
    }

    /// <summary>
    /// Whether <paramref name="username"/> may try a credential now (not throttled by address, not locked out), and
    /// how many failures it has in the window. Passwords and second-factor codes share this count.
    /// </summary>
    public async Task<(LoginResult? Refusal, int Failures)> GuardAsync(string username, string? sourceAddress, CancellationToken cancellationToken)
    {
        using (var probe = _failuresByAddress.AttemptAcquire(sourceAddress ?? "unknown", 0))
        {
            if (!probe.IsAcquired) return (new LoginResult(LoginOutcome.Throttled, RetryAfter: TimeSpan.FromMinutes(1)), 0);
        }

        var now = _time.GetUtcNow();
        var (failures, oldest) = await _users.FailuresSinceAsync(username, now - _options.LockoutWindow, cancellationToken);
        if (failures < _options.MaxFailures) return (null, failures);
        var retryAfter = oldest is { } first ? first + _options.LockoutWindow - now : _options.LockoutWindow;
        return (new LoginResult(LoginOutcome.LockedOut, RetryAfter: retryAfter < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retryAfter), failures);
    }

    /// <summary>Counts a failed credential towards the address throttle and the account's lockout, and audits it.</summary>
    public async Task<LoginResult> FailAsync(string username, string? sourceAddress, int failuresBefore, string eventType,
        CancellationToken cancellationToken)
    {
        _failuresByAddress.AttemptAcquire(sourceAddress ?? "unknown", 1).Dispose();
        await _users.RecordFailureAsync(username, _time.GetUtcNow(), sourceAddress, cancellationToken);
        var nowLocked = failuresBefore + 1 >= _options.MaxFailures;
        await _audit.WriteAsync(new Actor(PasswordRules.IsValidUsername(username) ? username : "invalid-username", sourceAddress),
            nowLocked ? "auth.locked_out" : eventType, null,
            new Dictionary<string, object?> { ["failures_in_window"] = failuresBefore + 1 }, cancellationToken);
        return new LoginResult(LoginOutcome.Failed);
    }

    /// <summary>A completed sign-in forgets the account's earlier failures.</summary>
    public Task SucceededAsync(string username, CancellationToken cancellationToken) => _users.ClearFailuresAsync(username, cancellationToken);

    private string RememberKey(AdminUser user, string password) =>
        "login:" + Convert.ToBase64String(HMACSHA256.HashData(_cacheKey, Encoding.UTF8.GetBytes($"{user.Id}\n{user.PasswordHash}\n{password}")));
}
