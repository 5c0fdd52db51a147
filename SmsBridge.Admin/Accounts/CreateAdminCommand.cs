using Npgsql;
using SmsBridge.Admin.Auditing;
using SmsBridge.ServiceDefaults.Web;

namespace SmsBridge.Admin.Accounts;

/// <summary>
/// <c>dotnet SmsBridge.Admin.dll create-admin --username NAME [--role admin|viewer] [--update [--reset-second-factor]]</c>: creates (or with
/// <c>--update</c>, resets) an operator account. The password is read from <c>SMSBRIDGE_ADMIN_PASSWORD</c> when set,
/// otherwise from the first line of standard input, so it never appears in the process list or shell history.
/// </summary>
public static class CreateAdminCommand
{
    public const string Name = "create-admin";
    public const string PasswordVariable = "SMSBRIDGE_ADMIN_PASSWORD";

    private static readonly string Help = $"""
        Usage: dotnet SmsBridge.Admin.dll create-admin --username NAME [--role admin|viewer] [--update [--reset-second-factor]]

        Creates an operator account for the SMS Bridge admin API and web UI.

        Options:
          --username NAME   lower-case letters, digits, '.', '_' or '-' (at most 64)
          --role ROLE       admin (read and change) or viewer (read only); default admin
          --update          set a new password and role for an existing account instead
          --reset-second-factor
                            with --update: also remove the account's two-step sign-in and recovery codes
                            (a lost phone and lost codes); the operator enrols again after signing in
          --help            show this help

        The password (at least {PasswordRules.MinimumLength} characters) is read from the {PasswordVariable}
        environment variable when set, otherwise asked for at a terminal (not echoed), otherwise read from the
        first line of standard input:
          printf '%s\n' "$PASSWORD" | dotnet SmsBridge.Admin.dll create-admin --username alice --role viewer

        The database comes from ConnectionStrings__smsbridge, as for the service itself.
        Exit codes: 0 done, 1 refused (the message says why), 2 usage error.
        """;

    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        string? username = null;
        var role = AdminRoles.Admin;
        var update = false;
        var resetSecondFactor = false;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--help" or "-h":
                    await output.WriteLineAsync(Help);
                    return 0;
                case "--username" when i + 1 < args.Length:
                    username = args[++i];
                    break;
                case "--role" when i + 1 < args.Length:
                    role = args[++i];
                    break;
                case "--update":
                    update = true;
                    break;
                case "--reset-second-factor":
                    resetSecondFactor = true;
                    break;
                default:
                    await error.WriteLineAsync($"Unknown or incomplete option '{args[i]}'.\n\n{Help}");
                    return 2;
            }
        }

        if (!PasswordRules.IsValidUsername(username))
        {
            await error.WriteLineAsync("--username is required: lower-case letters, digits, '.', '_' or '-' (at most 64). See --help.");
            return 2;
        }

        if (resetSecondFactor && !update)
        {
            await error.WriteLineAsync("--reset-second-factor needs --update: it resets an existing account. See --help.");
            return 2;
        }

        if (!AdminRoles.IsKnown(role))
        {
            await error.WriteLineAsync($"--role must be '{AdminRoles.Admin}' or '{AdminRoles.Viewer}'.");
            return 2;
        }

        var password = Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } fromEnv ? fromEnv
            : ReferenceEquals(input, Console.In) && !Console.IsInputRedirected ? await PromptHiddenAsync(error)
            : await input.ReadLineAsync();
        if (PasswordRules.Problem(password) is { } problem)
        {
            await error.WriteLineAsync($"Refused: {problem}. Give it in {PasswordVariable} or on standard input.");
            return 1;
        }

        var configuration = new ConfigurationManager();
        configuration.SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json", optional: true).AddEnvironmentVariables();
        try
        {
            SmsBridge.ServiceDefaults.Secrets.SecretFiles.AddTo(configuration); // ConnectionStrings__smsbridge_PASSWORD_FILE, as the service reads it
        }
        catch (SmsBridge.ServiceDefaults.Secrets.SecretSettingException refused)
        {
            await error.WriteLineAsync(refused.Message);
            return 1;
        }

        if (configuration.GetConnectionString("smsbridge") is not { } connectionString)
        {
            await error.WriteLineAsync("ConnectionStrings__smsbridge is not set: give the app role's connection string in that variable.");
            return 1;
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var users = new UserStore(dataSource);
        var hash = PasswordRules.CreateHasher().HashPassword(new AdminUser(0, username!, role, ""), password!);
        var actor = new Actor("cli:" + Environment.UserName, null);
        Outcome<bool> done;
        try
        {
            // The account and its audit row commit together.
            done = await new AdminChanges(dataSource, TimeProvider.System).RunAsync<bool>(actor, async change =>
            {
                if (!(update
                        ? await users.UpdateAsync(username!, role, hash, CancellationToken.None, change.Transaction)
                        : await users.CreateAsync(username!, role, hash, actor.Name, CancellationToken.None, change.Transaction)))
                {
                    return Failure.Conflict(ErrorCodes.Conflict, update ? "no such account" : "the account exists");
                }

                if (resetSecondFactor)
                {
                    await new SecondFactor.SecondFactorStore(dataSource).RemoveAsync(change.Transaction, username!, CancellationToken.None);
                    change.Audit("auth.second_factor_reset", username, new Dictionary<string, object?> { ["via"] = "cli" });
                }

                change.Audit(update ? "auth.user_updated" : "auth.user_created", username,
                    new Dictionary<string, object?> { ["role"] = role, ["via"] = "cli" });
                return true;
            }, CancellationToken.None);
        }
        catch (NpgsqlException ex)
        {
            await error.WriteLineAsync(DependencyOutage.Of(ex) is null
                ? $"The database refused the change ({ex.Message}); nothing was stored."
                : $"Could not reach the database ({ex.Message}). Check ConnectionStrings__smsbridge and that PostgreSQL runs.");
            return 1;
        }

        if (!done.Succeeded)
        {
            await error.WriteLineAsync(update
                ? $"Refused: there is no account '{username}'. Leave out --update to create it."
                : $"Refused: the account '{username}' exists. Add --update to set a new password and role.");
            return 1;
        }

        await output.WriteLineAsync($"{(update ? "Updated" : "Created")} {role} account '{username}'" +
            (resetSecondFactor ? "; its two-step sign-in is removed." : "."));
        return 0;
    }

    /// <summary>At a terminal: ask without echoing what is typed.</summary>
    private static async Task<string> PromptHiddenAsync(TextWriter error)
    {
        await error.WriteAsync($"Password for the new account (at least {PasswordRules.MinimumLength} characters, not shown): ");
        var password = new System.Text.StringBuilder();
        while (Console.ReadKey(intercept: true) is var key && key.Key != ConsoleKey.Enter)
        {
            if (key.Key == ConsoleKey.Backspace && password.Length > 0) password.Length--;
            else if (!char.IsControl(key.KeyChar)) password.Append(key.KeyChar);
        }

        await error.WriteLineAsync();
        return password.ToString();
    }
}
