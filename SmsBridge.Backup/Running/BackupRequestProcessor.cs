using System.Text.Json;
using Microsoft.Extensions.Logging;
using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Catalogue;
using SmsBridge.Backup.Configuration;
using SmsBridge.Backup.Restoring;
using SmsBridge.Data.Backups;

namespace SmsBridge.Backup.Running;

/// <summary>
/// Carries out the requests the admin service files in <c>backup_requests</c>: <c>backup</c> (run now),
/// <c>verify</c> and <c>restore</c> of a backup id. Each ends done with a JSON result, or failed with an error
/// the admin UI can show. A restore needs the owner's connection (<c>ConnectionStrings:smsbridge-restore</c>).
/// </summary>
public sealed class BackupRequestProcessor(
    BackupCatalogue catalogue,
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
        while (await BackupRequests.ClaimNextAsync(catalogue.DataSource, time.GetUtcNow(), cancellationToken) is { } request)
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
                    if (run.Verified) await CompleteAsync(request, run, cancellationToken);
                    else await FailAsync(request, run.Error ?? "The backup failed.", run, cancellationToken);
                    break;
                case "verify":
                    var verified = await verification.VerifyAsync(RequireId(request), progress, cancellationToken);
                    if (verified.Verified) await CompleteAsync(request, verified, cancellationToken);
                    else await FailAsync(request, verified.Error ?? "Verification failed.", verified, cancellationToken);
                    break;
                case "restore":
                    var restored = await restorer.RestoreAsync(RequireId(request), connections.RestoreTarget(), progress, cancellationToken);
                    await CompleteAsync(request, restored, cancellationToken);
                    break;
                default:
                    await FailAsync(request, $"Unknown request kind '{request.Kind}'.", null, cancellationToken);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError("Request {RequestId} ({Kind}) FAILED: {Error}", request.Id, request.Kind, ex.Message);
            await FailAsync(request, ex.Message, null, CancellationToken.None);
        }
    }

    private Task CompleteAsync(BackupRequest request, object result, CancellationToken cancellationToken) =>
        BackupRequests.CompleteAsync(catalogue.DataSource, request, time.GetUtcNow(), Json(result), cancellationToken);

    private Task FailAsync(BackupRequest request, string error, object? result, CancellationToken cancellationToken) =>
        BackupRequests.FailAsync(catalogue.DataSource, request, time.GetUtcNow(), error, result is null ? null : Json(result), cancellationToken);

    private static string Json(object result) => JsonSerializer.Serialize(result, BackupManifest.Json);

    private static string RequireId(BackupRequest request) => BackupStore.IsValidId(request.BackupId)
        ? request.BackupId!
        : throw new ArgumentException($"'{request.BackupId}' is not a backup id (expected e.g. 20261123T060000Z-3f9a).");
}
