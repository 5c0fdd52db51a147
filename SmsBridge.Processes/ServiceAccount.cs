namespace SmsBridge.Processes;

/// <summary>
/// The unprivileged account servers run as when we are root (initdb, postgres and pgbouncer refuse root), and the
/// setpriv arguments that switch to it and ask the kernel to stop a child whose parent dies.
/// </summary>
public static class ServiceAccount
{
    public const string User = "smsbridge";

    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>The setpriv arguments before the real command: run as <paramref name="user"/> when we are root.</summary>
    public static IReadOnlyList<string> SetprivArguments(string? user) => user is not null && IsRoot
        ? ["--pdeathsig", "TERM", "--reuid", user, "--regid", user, "--init-groups", "--"]
        : ["--pdeathsig", "TERM", "--"];

    /// <summary>Creates the account (as root, when it is missing), with its own group and no login.</summary>
    public static async Task EnsureAsync(string user = User, CancellationToken cancellationToken = default)
    {
        if (!IsRoot || File.ReadLines("/etc/passwd").Any(l => l.StartsWith(user + ":", StringComparison.Ordinal))) return;
        var result = await ExternalProgram.CaptureAsync(
            new ProgramInvocation("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", user]), cancellationToken);
        // 9: another process created it meanwhile.
        if (result.ExitCode is not (0 or 9)) throw new InvalidOperationException($"Could not create the service account '{user}': {result.ErrorTail}");
    }

    /// <summary>
    /// A private folder (0700) at <paramref name="path"/>, handed to <paramref name="owner"/> when we are root, so that a
    /// server running as that account can write in it and nobody else can read it.
    /// </summary>
    public static async Task CreatePrivateFolderAsync(string path, string? owner, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (owner is not null && IsRoot) await ChownAsync(path, owner, cancellationToken);
    }

    /// <summary>Gives <paramref name="path"/> (and all below it) to <paramref name="owner"/> and its login group.</summary>
    public static async Task ChownAsync(string path, string owner, CancellationToken cancellationToken = default) =>
        (await ExternalProgram.CaptureAsync(new ProgramInvocation("chown", ["-R", $"{owner}:", path]), cancellationToken)).EnsureSucceeded();
}
