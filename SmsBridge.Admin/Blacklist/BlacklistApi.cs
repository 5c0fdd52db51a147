using Microsoft.AspNetCore.Http.HttpResults;
using SmsBridge.Admin.Accounts;
using SmsBridge.Admin.Auditing;
using SmsBridge.Data.Blacklist;

namespace SmsBridge.Admin.Blacklist;

public sealed record AddBlacklistRequest(string? MobileNumber, string? Reason);

public static class BlacklistApi
{
    public static RouteGroupBuilder MapBlacklistApi(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/blacklist").WithTags("Blacklist");
        group.MapGet("/", async (BlacklistService blacklist, string? search, int? limit, CancellationToken ct) =>
            TypedResults.Ok(new { Entries = await blacklist.ListAsync(search, ApiResults.Limit(limit, 200, 1000), ct) }));
        group.MapPost("/", AddAsync).RequireAuthorization(AdminRoles.CanWrite);
        group.MapDelete("/{mobile}", async (string mobile, BlacklistService blacklist, HttpContext context, CancellationToken ct) =>
            (await blacklist.RemoveAsync(mobile, Actor.From(context), ct)).OkOr(e => e)).RequireAuthorization(AdminRoles.CanWrite);
        return admin;
    }

    private static async Task<Results<Created<BlacklistEntry>, ProblemHttpResult>> AddAsync(AddBlacklistRequest request,
        BlacklistService blacklist, HttpContext context, CancellationToken ct) =>
        (await blacklist.AddAsync(request.MobileNumber, request.Reason, Actor.From(context), ct))
            .CreatedOr(entry => $"/admin/blacklist/{Uri.EscapeDataString(entry.MobileNumber)}", entry => entry);
}
