namespace SmsBridge.Admin.Accounts;

/// <summary>An operator account as stored in <c>admin_users</c>; <see cref="HasSecondFactor"/> once TOTP is confirmed.</summary>
public sealed record AdminUser(long Id, string Username, string Role, string PasswordHash, bool HasSecondFactor = false);
