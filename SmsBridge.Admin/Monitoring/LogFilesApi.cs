using Microsoft.AspNetCore.Http.HttpResults;

namespace SmsBridge.Admin.Monitoring;

/// <summary>The services' log files: listed per service and downloaded one at a time.</summary>
public static class LogFilesApi
{
    public static RouteGroupBuilder MapLogFilesApi(this RouteGroupBuilder monitoring)
    {
        monitoring.MapGet("/logs/list", (LogFiles logs) => TypedResults.Ok(new
        {
            Services = logs.List().GroupBy(f => f.Service).Select(g => new { Service = g.Key, Files = g.ToList() }),
        }));
        monitoring.MapGet("/logs/download/{service}", DownloadLog);
        return monitoring;
    }

    private static Results<PhysicalFileHttpResult, ProblemHttpResult> DownloadLog(string service, string? file, LogFiles logs)
    {
        if (logs.Find(service, file) is not { } found)
        {
            return Failure.NotFound("No such log file; GET /admin/monitoring/logs/list shows what there is.").ToProblem();
        }

        // The service is still appending to its newest file: a physical-file result sends exactly the length it announced,
        // where a stream result would copy to the end of a file that grew meanwhile and break its own Content-Length.
        return TypedResults.PhysicalFile(found.Path, "text/plain; charset=utf-8", found.File.Name);
    }
}
