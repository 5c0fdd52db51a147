using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using SmsBridge.Admin.Accounts;
using SmsBridge.Admin.Auditing;
using SmsBridge.Data.Settings;

namespace SmsBridge.Admin.Settings;

public sealed record SettingsView(int Version, bool IsActive, DateTimeOffset CreatedAt, string CreatedBy, string ChangeNote,
    DateTimeOffset? ActivatedAt, JsonObject Settings)
{
    public static SettingsView From(SettingsVersion v) =>
        new(v.Version, v.IsActive, v.CreatedAt, v.CreatedBy, v.ChangeNote, v.ActivatedAt, SettingsMasking.Masked(v.Settings));
}

public sealed record CreateSettingsRequest(JsonNode? Settings, string? ChangeNote);

public sealed record ActivateSettingsRequest(string? ChangeNote);

public static class SettingsApi
{
    public static RouteGroupBuilder MapSettingsApi(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/settings").WithTags("Settings");
        group.MapGet("/", async (SettingsVersions versions, CancellationToken ct) =>
            TypedResults.Ok(SettingsView.From(await versions.GetActiveAsync(ct))));
        group.MapGet("/history", async (SettingsVersions versions, int? limit, CancellationToken ct) =>
            TypedResults.Ok(new { Versions = (await versions.HistoryAsync(ApiResults.Limit(limit, 50, 500), ct)).Select(SettingsView.From) }));
        group.MapPost("/", CreateAsync).RequireAuthorization(AdminRoles.CanWrite);
        group.MapPost("/{version:int}/activate", ActivateAsync).RequireAuthorization(AdminRoles.CanWrite);
        return admin;
    }

    private static async Task<Results<Created<SettingsView>, ProblemHttpResult>> CreateAsync(CreateSettingsRequest request,
        SettingsService settings, HttpContext context, CancellationToken ct) =>
        (await settings.CreateAsync(request.Settings, request.ChangeNote, Actor.From(context), ct))
            .CreatedOr(_ => "/admin/settings/history", SettingsView.From);

    private static async Task<Results<Ok<SettingsView>, ProblemHttpResult>> ActivateAsync(int version, ActivateSettingsRequest? request,
        SettingsService settings, HttpContext context, CancellationToken ct) =>
        (await settings.ActivateAsync(version, request?.ChangeNote, Actor.From(context), ct)).OkOr(SettingsView.From);
}
