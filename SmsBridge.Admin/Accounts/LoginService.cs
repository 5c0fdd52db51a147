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

public sealed record LoginResult(LoginOutcome Outcome, AdminUser? User = null, TimeSpan? RetryAfter = null);

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
        var address = sourceAddress ?? "unknown";
        using (var probe = _failuresByAddress.AttemptAcquire(address, 0))
        {
            if (!probe.IsAcquired) return new LoginResult(LoginOutcome.Throttled, RetryAfter: TimeSpan.FromMinutes(1));
        }

        var now = _time.GetUtcNow();
        var user = PasswordRules.IsValidUsername(username) ? await _users.FindAsync(username, cancellationToken) : null;
        var (failures, oldest) = await _users.FailuresSinceAsync(username, now - _options.LockoutWindow, cancellationToken);
        if (failures >= _options.MaxFailures)
        {
            var retryAfter = oldest is { } first ? first + _options.LockoutWindow - now : _options.LockoutWindow;
            return new LoginResult(LoginOutcome.LockedOut, RetryAfter: retryAfter < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retryAfter);
        }

        if (user is not null && _verified.TryGetValue(RememberKey(user, password), out _)) return new LoginResult(LoginOutcome.Succeeded, user);

        var verdict = _hasher.VerifyHashedPassword(user ?? new AdminUser(0, username, "", ""), user?.PasswordHash ?? _dummyHash, password);
        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            _failuresByAddress.AttemptAcquire(address, 1).Dispose();
            await _users.RecordFailureAsync(username, now, sourceAddress, cancellationToken);
            var nowLocked = failures + 1 >= _options.MaxFailures;
            await _audit.WriteAsync(new Actor(PasswordRules.IsValidUsername(username) ? username : "invalid-username", sourceAddress),
                nowLocked ? "auth.locked_out" : "auth.login_failed", null,
                new Dictionary<string, object?> { ["failures_in_window"] = failures + 1 }, cancellationToken);
            return new LoginResult(LoginOutcome.Failed);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user = user with { PasswordHash = _hasher.HashPassword(user, password) };
            await _users.UpdateHashAsync(user.Id, user.PasswordHash, cancellationToken);
        }

        if (failures > 0) await _users.ClearFailuresAsync(username, cancellationToken);
        _verified.Set(RememberKey(user, password), true, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = RememberFor, Size = 1 });
        return new LoginResult(LoginOutcome.Succeeded, user);
    }

    private string RememberKey(AdminUser user, string password) =>
        "login:" + Convert.ToBase64String(HMACSHA256.HashData(_cacheKey, Encoding.UTF8.GetBytes($"{user.Id}\n{user.PasswordHash}\n{password}")));
}
