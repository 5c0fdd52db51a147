using Microsoft.AspNetCore.Http.HttpResults;
using SmsBridge.Admin.Accounts;
using SmsBridge.Admin.Auditing;
using SmsBridge.Data.Inbox;
using SmsBridge.Data.Recovery;

namespace SmsBridge.Admin.Operations;

/// <summary>Day-to-day operations: re-drive dead letters, look an SMS up.</summary>
public static class OperationsApi
{
    public static RouteGroupBuilder MapOperationsApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/trigger-recovery", TriggerRecoveryAsync).RequireAuthorization(AdminRoles.CanWrite).WithTags("Recovery");
        admin.MapGet("/sms/{messageId}", FindSmsAsync).WithTags("SMS");
        return admin;
    }

    private static async Task<Results<Ok<RecoveryResult>, Accepted<RecoveryResult>>> TriggerRecoveryAsync(RecoveryService recovery,
        HttpContext context, CancellationToken ct)
    {
        var result = await recovery.TriggerAsync(Actor.From(context), ct);
        return result.Status == "pending" ? TypedResults.Accepted((string?)null, result) : TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<SmsRecord>, ProblemHttpResult>> FindSmsAsync(string messageId, SmsLookup sms, CancellationToken ct)
    {
        if (!Guid.TryParse(messageId, out var id)) return Failure.Validation("must be the message_id UUID from POST /sms/receive", "message_id").ToProblem();
        return await sms.FindAsync(id, ct) is { } found ? TypedResults.Ok(found) : Failure.NotFound("No SMS with this message_id.").ToProblem();
    }
}
