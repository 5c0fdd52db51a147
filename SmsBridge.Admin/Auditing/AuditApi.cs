using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SmsBridge.Data.Audit;

namespace SmsBridge.Admin.Auditing;

/// <summary>One page of the audit trail, newest first; <see cref="NextBeforeId"/> asks for the next page when it may not be the last.</summary>
public sealed record AuditPage(IReadOnlyList<AuditRow> Events, long? NextBeforeId);

/// <summary><c>GET /admin/audit</c>: search the audit trail.</summary>
public static class AuditApi
{
    private const int MaxLimit = 500;

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/audit", SearchAsync).WithTags("Audit");
        return admin;
    }

    private static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> SearchAsync(AuditSearch audit,
        [FromQuery(Name = "event_type")] string? eventType, string? actor, DateTimeOffset? from, DateTimeOffset? to,
        [FromQuery(Name = "before_id")] long? beforeId, int? limit, CancellationToken ct)
    {
        if (from is { } f && to is { } t && t <= f) return Failure.Validation("must be later than from", "to").ToProblem();
        var take = ApiResults.Limit(limit, 100, MaxLimit);
        var rows = await audit.FindAsync(new AuditQuery(Blank(eventType), Blank(actor), from, to, beforeId, take), ct);
        return TypedResults.Ok(new AuditPage(rows, rows.Count == take ? rows[^1].Id : null));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
