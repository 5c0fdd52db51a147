using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SmsBridge.Admin.Accounts;
using SmsBridge.Admin.AuditTrail;
using SmsBridge.Admin.Auditing;
using SmsBridge.Admin.Operations;
using SmsBridge.Data.Inbox;
using SmsBridge.Data.Recovery;

namespace SmsBridge.Admin.Api;

/// <summary>Day-to-day operations: re-drive dead letters, look an SMS up, search the audit trail.</summary>
public static class OperationsApi
{
    public static RouteGroupBuilder MapOperationsApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/trigger-recovery", TriggerRecoveryAsync).RequireAuthorization(AdminRoles.CanWrite).WithTags("Recovery");
        admin.MapGet("/sms/{messageId}", FindSmsAsync).WithTags("SMS");
        admin.MapGet("/audit", SearchAuditAsync).WithTags("Audit");
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

    private static async Task<Results<Ok<object>, ProblemHttpResult>> SearchAuditAsync(AuditSearch audit,
        [FromQuery(Name = "event_type")] string? eventType, string? actor, DateTimeOffset? from, DateTimeOffset? to,
        [FromQuery(Name = "before_id")] long? beforeId, int? limit, CancellationToken ct)
    {
        if (from is { } f && to is { } t && t <= f) return Failure.Validation("must be later than from", "to").ToProblem();
        var take = ApiResults.Limit(limit, 100, AuditSearch.MaxLimit);
        var rows = await audit.FindAsync(new AuditQuery(Blank(eventType), Blank(actor), from, to, beforeId, take), ct);
        return TypedResults.Ok<object>(new { Events = rows, NextBeforeId = rows.Count == take ? rows[^1].Id : (long?)null });
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
