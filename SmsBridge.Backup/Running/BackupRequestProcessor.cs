using Microsoft.Extensions.Logging;
using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Catalogue;
using SmsBridge.Backup.Configuration;
using SmsBridge.Backup.Restoring;

namespace SmsBridge.Backup.Running;

/// <summary>
/// Carries out the requests the admin service files in <c>backup_requests</c>: <c>backup</c> (run now),
/// <c>verify</c> and <c>restore</c> of a backup id. Each ends done with a JSON result, or failed with an error
/// the admin UI can show. A restore needs the owner's connection (<c>ConnectionStrings:smsbridge-restore</c>).
/// </summary>
public sealed class BackupRequestProcessor(
    BackupRequests requests,
    BackupRunner runner,
    BackupVerification verification,
    BackupRestorer restorer,
    BackupConnections connections,
    TimeProvider time,
    ILogger<BackupRequestProcessor> logger)
{
    /// <summary>Processes pending requests until none is left; returns how many it handled.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var handled = 0;
        while (await requests.ClaimNextAsync(time.GetUtcNow(), cancellationToken) is { } request)
        {
            await HandleAsync(request, cancellationToken);
            handled++;
        }

        return handled;
    }

    private async Task HandleAsync(BackupRequest request, CancellationToken cancellationToken)
    {
        var progress = ProgressLines.To(logger, $"Request {request.Id}: ");
        logger.LogInformation("Request {RequestId}: {Kind} {BackupId} by {RequestedBy}", request.Id, request.Kind, request.BackupId, request.RequestedBy);
        try
        {
            switch (request.Kind)
            {
                case "backup":
                    var run = await runner.RunAsync("manual", progress, cancellationToken);
                    if (run.Verified) await requests.CompleteAsync(request, time.GetUtcNow(), run, cancellationToken);
                    else await requests.FailAsync(request, time.GetUtcNow(), run.Error ?? "The backup failed.", run, cancellationToken);
                    break;
                case "verify":
                    var verified = await verification.VerifyAsync(RequireId(request), progress, cancellationToken);
                    if (verified.Verified) await requests.CompleteAsync(request, time.GetUtcNow(), verified, cancellationToken);
                    else await requests.FailAsync(request, time.GetUtcNow(), verified.Error ?? "Verification failed.", verified, cancellationToken);
                    break;
                case "restore":
                    var restored = await restorer.RestoreAsync(RequireId(request), connections.RestoreTarget(), progress, cancellationToken);
                    await requests.CompleteAsync(request, time.GetUtcNow(), restored, cancellationToken);
                    break;
                default:
                    await requests.FailAsync(request, time.GetUtcNow(), $"Unknown request kind '{request.Kind}'.", null, cancellationToken);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError("Request {RequestId} ({Kind}) FAILED: {Error}", request.Id, request.Kind, ex.Message);
            await requests.FailAsync(request, time.GetUtcNow(), ex.Message, null, CancellationToken.None);
        }
    }

    private static string RequireId(BackupRequest request) => BackupStore.IsValidId(request.BackupId)
        ? request.BackupId!
        : throw new ArgumentException($"'{request.BackupId}' is not a backup id (expected e.g. 20261123T060000Z-3f9a).");
}
