namespace SmsBridge.AppHost.Hosting;

public enum ResourceState
{
    NotStarted,
    Starting,
    Running,
    Healthy,
    Unhealthy,
    Exited,
    Stopped,
}
