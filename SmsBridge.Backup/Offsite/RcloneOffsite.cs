using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Tools;
using SmsBridge.Processes;

namespace SmsBridge.Backup.Offsite;

/// <summary>
/// An rclone remote (S3, B2, SFTP, ... as configured in rclone.conf). Artefacts are already encrypted, so the
/// remote only ever sees ciphertext. The manifest is copied last: a copy without it is incomplete. The remote is
/// configured as the operator configures rclone anyway: a config file (<paramref name="config"/>, else rclone's default)
/// or <c>RCLONE_CONFIG_&lt;NAME&gt;_*</c> variables in the service's environment, which rclone reads itself.
/// </summary>
public sealed class RcloneOffsite(string rclone, string remote, string? config = null) : IOffsiteTarget
{
    private string RemotePath(string id) => $"{remote.TrimEnd('/')}/{id}";

    public string Describe(string id) => "rclone:" + RemotePath(id);

    public async Task CopyAsync(string localFolder, string id, CancellationToken cancellationToken)
    {
        await RunAsync(["copy", localFolder, RemotePath(id), "--exclude", BackupStore.ManifestFile], cancellationToken);
        await RunAsync(["copyto", Path.Combine(localFolder, BackupStore.ManifestFile), $"{RemotePath(id)}/{BackupStore.ManifestFile}"], cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        var result = await ExternalProgram.CaptureAsync(Invocation(["lsf", "--dirs-only", remote]), cancellationToken);
        if (!result.Succeeded) throw new InvalidOperationException($"rclone lsf {remote} failed: {result.ErrorTail}");
        return [.. result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.TrimEnd('/')).Where(BackupStore.IsValidId)];
    }

    public Task DeleteAsync(string id, CancellationToken cancellationToken) => BackupStore.IsValidId(id)
        ? RunAsync(["purge", RemotePath(id)], cancellationToken)
        : Task.CompletedTask;

    private async Task RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await ExternalProgram.RunAsync(Invocation(arguments), cancellationToken: cancellationToken);
        if (!result.Succeeded) throw new InvalidOperationException($"rclone {arguments[0]} failed (exit code {result.ExitCode}): {result.ErrorTail.Trim()}");
    }

    private ProgramInvocation Invocation(IReadOnlyList<string> arguments) => config is null
        ? new ProgramInvocation(rclone, arguments)
        : new ProgramInvocation(rclone, arguments) { Environment = new Dictionary<string, string?> { ["RCLONE_CONFIG"] = config } };
}
