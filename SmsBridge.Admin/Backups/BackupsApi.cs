using Microsoft.AspNetCore.Http.HttpResults;
using SmsBridge.Admin.Accounts;
using SmsBridge.Admin.Auditing;
using SmsBridge.Data.Backups;

namespace SmsBridge.Admin.Backups;

public sealed record RestoreRequest(string? ConfirmationToken);

/// <summary>The backup catalogue and durable requests for the backup worker ("run now", verify, two-step restore).</summary>
public static class BackupsApi
{
    public static RouteGroupBuilder MapBackupsApi(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/backups").WithTags("Backups");
        group.MapGet("/", async (BackupService backups, int? limit, CancellationToken ct) => TypedResults.Ok(new
        {
            Backups = await backups.ListAsync(ApiResults.Limit(limit, 50, 500), ct),
            Requests = await backups.RequestsAsync(20, ct),
        }));
        group.MapPost("/", async (BackupService backups, HttpContext context, CancellationToken ct) =>
            TypedResults.Accepted((string?)null, await backups.RequestBackupAsync(Actor.From(context), ct))).RequireAuthorization(AdminRoles.CanWrite);
        group.MapPost("/{id}/verify", VerifyAsync).RequireAuthorization(AdminRoles.CanWrite);
        group.MapPost("/{id}/restore", RestoreAsync).RequireAuthorization(AdminRoles.CanWrite);
        return admin;
    }

    private static async Task<Results<Accepted<BackupRequest>, ProblemHttpResult>> VerifyAsync(string id, BackupService backups,
        HttpContext context, CancellationToken ct)
    {
        var outcome = await backups.RequestVerifyAsync(id, Actor.From(context), ct);
        return outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.Accepted((string?)null, outcome.Value);
    }

    /// <summary>Without a token: step one, answers the token. With it: step two, files the restore.</summary>
    private static async Task<Results<Ok<RestoreConfirmation>, Accepted<BackupRequest>, ProblemHttpResult>> RestoreAsync(string id,
        RestoreRequest? request, BackupService backups, HttpContext context, CancellationToken ct)
    {
        var actor = Actor.From(context);
        if (string.IsNullOrWhiteSpace(request?.ConfirmationToken))
        {
            var confirmation = await backups.ConfirmRestoreAsync(id, actor, ct);
            return confirmation.Failure is { } refused ? refused.ToProblem() : TypedResults.Ok(confirmation.Value);
        }

        var outcome = await backups.RequestRestoreAsync(id, request.ConfirmationToken.Trim(), actor, ct);
        return outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.Accepted((string?)null, outcome.Value);
    }
}
