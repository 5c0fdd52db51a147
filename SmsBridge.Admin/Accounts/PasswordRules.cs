using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;

namespace SmsBridge.Admin.Accounts;

/// <summary>What an operator's username and password must be, and how the password is hashed.</summary>
public static partial class PasswordRules
{
    public const int MinimumLength = 12;

    /// <summary>PBKDF2-HMAC-SHA512 (Identity's V3 format) at OWASP's recommended count for SHA-512.</summary>
    public const int IterationCount = 210_000;

    public static string? Problem(string? password) =>
        password is null || password.Length < MinimumLength ? $"password must be at least {MinimumLength} characters"
        : password.Length > 256 ? "password must be at most 256 characters"
        : null;

    public static bool IsValidUsername(string? username) => username is not null && Username().IsMatch(username);

    public static PasswordHasher<AdminUser> CreateHasher() =>
        new(Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions { IterationCount = IterationCount }));

    [GeneratedRegex("^[a-z0-9._-]{1,64}$")]
    private static partial Regex Username();
}
