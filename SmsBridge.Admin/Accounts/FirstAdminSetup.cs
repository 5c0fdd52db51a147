using SmsBridge.Admin.Auditing;
using SmsBridge.ServiceDefaults.Web;

namespace SmsBridge.Admin.Accounts;

/// <summary>
/// On first start, when no admin exists, creates the super admin <c>admin</c> from <c>Secrets:AdminPassword</c>
/// (the AppHost's generated secret). Later starts change nothing: accounts are managed with <c>create-admin</c>.
/// </summary>
public sealed class FirstAdminSetup(UserStore users, AdminChanges changes, IConfiguration configuration, ILogger<FirstAdminSetup> logger)
    : IHostedService
{
    public const string Username = "admin";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await users.AnyAdminAsync(cancellationToken)) return;
        var password = configuration["Secrets:AdminPassword"];
        if (PasswordRules.Problem(password) is { } problem)
        {
            logger.LogWarning("No admin account exists and Secrets:AdminPassword is unusable ({Problem}). " +
                "Create one with: dotnet SmsBridge.Admin.dll create-admin --username <name> --role admin", problem);
            return;
        }

        var hash = PasswordRules.CreateHasher().HashPassword(new AdminUser(0, Username, AdminRoles.Admin, ""), password!);
        var created = await changes.RunAsync<bool>(Actor.System, async change =>
        {
            if (!await users.CreateAsync(Username, AdminRoles.Admin, hash, "system", cancellationToken, change.Transaction))
            {
                return Failure.Conflict(ErrorCodes.AlreadyExists, "another instance created it first");
            }

            change.Audit("auth.user_created", Username, new Dictionary<string, object?> { ["role"] = AdminRoles.Admin, ["via"] = "first-start" });
            return true;
        }, cancellationToken);
        if (created.Succeeded)
        {
            logger.LogInformation("Created the first admin account '{Username}' from Secrets:AdminPassword", Username);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
