using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SmsBridge.AppHost.Dashboard.Pages;
using SmsBridge.AppHost.Hosting;

namespace SmsBridge.AppHost.Dashboard;

/// <summary>The dashboard's pages (server-rendered HTML), its live console stream, and the project actions.</summary>
internal static class DashboardPages
{
    public static void MapDashboardPages(this WebApplication app)
    {
        app.MapGet("/", (DistributedApplication graph) => Page("Resources", "/", ResourcesPage.Render(graph, TimeProvider.System), live: true));
        app.MapGet("/console", (DistributedApplication graph) => Page("Console", "/console", ConsolePage.Render(graph, null)));
        app.MapGet("/console/{name}", (string name, DistributedApplication graph) =>
            Page("Console " + name, "/console", ConsolePage.Render(graph, name)));
        app.MapGet("/console/{name}/stream", (string name, HttpContext context, DistributedApplication graph) =>
            ResourcesPage.Shown(graph).FirstOrDefault(r => r.Name == name) is { } resource
                ? ConsolePage.StreamAsync(context, resource)
                : Results.NotFound().ExecuteAsync(context));
        app.MapGet("/traces", (string? resource, bool? all, DashboardServer dashboard) =>
            Page("Traces", "/traces", TracesPage.Render(dashboard.Telemetry, resource, all ?? false), live: true));
        app.MapGet("/traces/{traceId}", (string traceId, DashboardServer dashboard) =>
            TracePage.Render(dashboard.Telemetry, traceId) is { } page
                ? Page("Trace " + traceId, "/traces", page)
                : Page("Trace not found", "/traces", $"<h1>Trace not found</h1><p>No span of trace <code>{Html.Encode(traceId)}</code> is in the window (it may have been dropped).</p>", status: 404));
        app.MapGet("/logs", (string? resource, int? level, string? q, string? trace, DashboardServer dashboard) =>
            Page("Structured logs", "/logs", LogsPage.Render(dashboard.Telemetry, resource, level ?? 0, q, trace), live: true));
        app.MapGet("/metrics", (string? resource, DashboardServer dashboard) =>
            Page("Metrics", "/metrics", MetricsPage.Render(dashboard.Telemetry, resource), live: true));
    }

    public static void MapResourceActions(this WebApplication app)
    {
        var resources = app.MapGroup("/resources/{name}");
        resources.MapPost("/restart", async (string name, DistributedApplication graph) =>
            await ActAsync(graph, name, () => graph.RestartResourceAsync(name)));
        resources.MapPost("/stop", async (string name, DistributedApplication graph) =>
            await ActAsync(graph, name, () => graph.StopResourceAsync(name)));
    }

    /// <summary>Only projects can be restarted or stopped from here: the data stores outlive a service's restart.</summary>
    private static async Task<IResult> ActAsync(DistributedApplication graph, string name, Func<Task> action)
    {
        if (!graph.Resources.OfType<ProjectResource>().Any(r => r.Name == name)) return Results.NotFound($"No project named '{name}'.");
        try
        {
            await action();
            return Results.NoContent();
        }
        catch (ResourceFailedException ex)
        {
            return Results.Problem(ex.Message.Split('\n')[0], statusCode: StatusCodes.Status502BadGateway);
        }
    }

    private static IResult Page(string title, string activePath, string main, bool live = false, int status = StatusCodes.Status200OK) =>
        Results.Content(Html.Page(title, activePath, main, live), "text/html; charset=utf-8", statusCode: status);
}
