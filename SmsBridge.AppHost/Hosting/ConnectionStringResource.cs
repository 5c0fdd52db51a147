namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// A connection string that is given rather than started: an existing server from configuration
/// (Aspire's <c>AddConnectionString</c>), or another view of a resource we run (a database's owner role).
/// </summary>
public sealed class ConnectionStringResource(string name, Func<string> value) : Resource(name), IResourceWithConnectionString
{
    public string ConnectionString => value();

    /// <summary>Set when this is another role's view of a database we run (not an external server).</summary>
    public DatabaseLogin? Login { get; init; }

    public override Task StartAsync(AppHostContext context, CancellationToken cancellationToken)
    {
        StartedAt = DateTimeOffset.UtcNow;
        State = ResourceState.Healthy;
        return Task.CompletedTask;
    }
}
