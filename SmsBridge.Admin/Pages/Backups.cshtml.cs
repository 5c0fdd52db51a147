using Microsoft.AspNetCore.Mvc;
using SmsBridge.Admin.Backups;
using SmsBridge.Data.Backups;

namespace SmsBridge.Admin.Pages;

public sealed class BackupsModel(BackupService backups) : AdminPageModel
{
    public IReadOnlyList<BackupRecord> Backups { get; private set; } = [];

    public IReadOnlyList<BackupRequest> Requests { get; private set; } = [];

    public RestoreConfirmation? Confirmation { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostBackupAsync(CancellationToken cancellationToken)
    {
        if (!CanWrite) return Forbid();
        var request = await backups.RequestBackupAsync(Actor, cancellationToken);
        TempData["Message"] = $"Backup requested (request {request.Id}); the backup worker picks it up shortly.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostVerifyAsync(string backupId, CancellationToken cancellationToken)
    {
        if (!CanWrite) return Forbid();
        return Done(await backups.RequestVerifyAsync(backupId, Actor, cancellationToken), $"Verification of {backupId} requested.");
    }

    /// <summary>Step one: render the confirmation with its token; nothing is filed yet.</summary>
    public async Task<IActionResult> OnPostConfirmRestoreAsync(string backupId, CancellationToken cancellationToken)
    {
        if (!CanWrite) return Forbid();
        var outcome = await backups.ConfirmRestoreAsync(backupId, Actor, cancellationToken);
        if (outcome.Failure is { } failure) return Refused(failure.Detail);
        Confirmation = outcome.Value;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRestoreAsync(string backupId, string confirmationToken, CancellationToken cancellationToken)
    {
        if (!CanWrite) return Forbid();
        return Done(await backups.RequestRestoreAsync(backupId, confirmationToken ?? "", Actor, cancellationToken),
            $"Restore of {backupId} requested; the backup worker takes a safety backup first.");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Backups = await backups.ListAsync(100, cancellationToken);
        Requests = await backups.RequestsAsync(20, cancellationToken);
    }
}
