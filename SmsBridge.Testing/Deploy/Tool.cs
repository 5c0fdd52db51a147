namespace SmsBridge.Tests.Deploy;

/// <summary>
/// The tests' defaults for a command line tool run through <see cref="ExternalProgram"/>: from the repository root,
/// stdout captured, given up after a minute so a hung tool fails its test instead of the run.
/// </summary>
public static class Tool
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static Task<ProgramResult> RunAsync(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null,
        string? workingDirectory = null, TimeSpan? timeout = null) =>
        ExternalProgram.CaptureAsync(new ProgramInvocation(fileName, [.. arguments])
        {
            Environment = Variables(environment),
            WorkingDirectory = workingDirectory ?? Repo.Root,
            Timeout = timeout ?? Limit,
        });

    /// <summary>The same command as the unprivileged service account (initdb, postgres and pgbouncer refuse root).</summary>
    public static Task<ProgramResult> RunAsServiceUserAsync(string fileName, IEnumerable<string> arguments,
        IDictionary<string, string>? environment = null, TimeSpan? timeout = null) =>
        ExternalProgram.CaptureAsync(new ProgramInvocation(fileName, [.. arguments])
        {
            Environment = Variables(environment),
            RunAsUser = ServiceAccount.User,
            Timeout = timeout ?? Limit,
        });

    /// <summary>A long-running child (a pooler, a WebDAV server) as the service account; the caller disposes it.</summary>
    public static RunningProgram StartAsServiceUser(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null) =>
        ExternalProgram.Start(new ProgramInvocation(fileName, [.. arguments]) { Environment = Variables(environment), RunAsUser = ServiceAccount.User });

    /// <summary>A new private folder (0700) under the temp folder that the service account owns, removed by the caller.</summary>
    public static async Task<string> ServiceUserFolderAsync(string prefix)
    {
        await ServiceAccount.EnsureAsync();
        var folder = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..8]);
        await ServiceAccount.CreatePrivateFolderAsync(folder, ServiceAccount.User);
        return folder;
    }

    private static Dictionary<string, string?> Variables(IDictionary<string, string>? environment) =>
        environment?.ToDictionary(v => v.Key, v => (string?)v.Value, StringComparer.Ordinal) ?? [];
}
