namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// PostgreSQL 15 from the machine's binaries, run by DCP as an executable on a loopback port. Its connection string is
/// the superuser's, which no service is given; services get role connection strings built on its endpoint.
/// </summary>
public sealed class LocalPostgresResource(string name, string dataRoot, ParameterResource password)
    : ExecutableResource(name, "setpriv", "/"), IResourceWithConnectionString
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";

    public ParameterResource Password { get; } = password;

    /// <summary>Holds <c>data/</c> (the cluster) and <c>run/</c> (the socket).</summary>
    public string DataRoot { get; } = dataRoot;

    public string DataDirectory => Path.Combine(DataRoot, "data");

    public EndpointReference Endpoint => new(this, "tcp");

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={Endpoint.Property(EndpointProperty.TargetPort)};Username=postgres;Password={Password}");
}
