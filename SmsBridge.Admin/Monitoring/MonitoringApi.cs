namespace SmsBridge.Admin.Monitoring;

/// <summary><c>/admin/monitoring/*</c>: the ports, their configuration, the log files.</summary>
public static class MonitoringApi
{
    public static RouteGroupBuilder MapMonitoringApi(this RouteGroupBuilder admin)
    {
        admin.MapGroup("/monitoring").WithTags("Monitoring")
            .MapPortsApi()
            .MapPortConfigApi()
            .MapLogFilesApi();
        return admin;
    }
}
