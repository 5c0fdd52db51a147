namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// Redis 7 from the machine's binaries, run by DCP as an executable on a loopback port: password required, protected mode,
/// append-only file on (keys survive a restart), its config file readable by its user only.
/// </summary>
public sealed class LocalRedisResource(string name, string dataRoot, ParameterResource password)
    : ExecutableResource(name, "setpriv", "/"), IResourceWithConnectionString
{
    public ParameterResource Password { get; } = password;

    public string DataRoot { get; } = dataRoot;

    public string ConfigFile => Path.Combine(DataRoot, "redis.conf");

    public EndpointReference Endpoint => new(this, "tcp");

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"127.0.0.1:{Endpoint.Property(EndpointProperty.TargetPort)},password={Password}");
}
