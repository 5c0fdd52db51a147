namespace SmsBridge.AppHost.Hosting;

/// <summary>A node of the application graph: a name, a state, what it waits for, and its recent log lines.</summary>
public abstract class Resource(string name) : IResource
{
    public string Name { get; } = name;

    public ResourceState State { get; internal set; } = ResourceState.NotStarted;

    public int? ExitCode { get; internal set; }

    public DateTimeOffset? StartedAt { get; internal set; }

    public List<Resource> WaitsFor { get; } = [];

    public LogBuffer Logs { get; } = new(1000);

    /// <summary>Starts the resource (a no-op for resources that only describe something external).</summary>
    public virtual Task StartAsync(AppHostContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>True once the resource answers as it should (accepts connections, reports healthy).</summary>
    public virtual Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    public virtual Task StopAsync() => Task.CompletedTask;

    public override string ToString() => Name;
}

/// <summary>A resource that clients reach through a connection string (Aspire's IResourceWithConnectionString).</summary>
public interface IResourceWithConnectionString : IResource
{
    string ConnectionString { get; }
}

/// <summary>Aspire's IResource: anything in the graph.</summary>
public interface IResource
{
    string Name { get; }
}
