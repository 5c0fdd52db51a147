using System.Text;
using Microsoft.AspNetCore.Http;
using SmsBridge.AppHost.Hosting;

namespace SmsBridge.AppHost.Dashboard.Pages;

/// <summary>A resource's console output: the kept lines, then new ones as they come (server-sent events).</summary>
internal static class ConsolePage
{
    public static string Render(DistributedApplication app, string? name)
    {
        var resources = ResourcesPage.Shown(app).ToList();
        var links = string.Join(" · ", resources.Select(r =>
            r.Name == name ? $"<strong>{Html.Encode(r.Name)}</strong>" : $"""<a href="/console/{Html.Url(r.Name)}">{Html.Encode(r.Name)}</a>"""));
        if (resources.FirstOrDefault(r => r.Name == name) is not { } resource)
        {
            return $"<h1>Console</h1><p>{links}</p><p class=\"muted\">Pick a resource to follow its output.</p>";
        }

        return $"""
            <h1>Console · {Html.Encode(resource.Name)}</h1>
            <p>{links}</p>
            <p class="window">last {resource.Logs.Capacity} lines kept in memory · <span class="dropped">{resource.Logs.Dropped} dropped</span> · live</p>
            <pre id="console" class="console" data-stream="/console/{Html.Url(resource.Name)}/stream" data-keep="{resource.Logs.Capacity}"></pre>
            """;
    }

    /// <summary>The kept lines, then each new line, until the browser goes away.</summary>
    public static async Task StreamAsync(HttpContext context, Resource resource)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        var lines = System.Threading.Channels.Channel.CreateBounded<string>(
            new System.Threading.Channels.BoundedChannelOptions(5000) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropOldest });
        void OnLine(string line) => lines.Writer.TryWrite(line);
        resource.Logs.LineAdded += OnLine;
        try
        {
            foreach (var line in resource.Logs.Tail(resource.Logs.Capacity)) await WriteAsync(response, line, context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
            await foreach (var line in lines.Reader.ReadAllAsync(context.RequestAborted))
            {
                await WriteAsync(response, line, context.RequestAborted);
                if (lines.Reader.Count == 0) await response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        finally
        {
            resource.Logs.LineAdded -= OnLine;
        }
    }

    private static Task WriteAsync(HttpResponse response, string line, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var part in line.Split('\n')) text.Append("data: ").Append(part.TrimEnd('\r')).Append('\n');
        text.Append('\n');
        return response.WriteAsync(text.ToString(), cancellationToken);
    }
}
