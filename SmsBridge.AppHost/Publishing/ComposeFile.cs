using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace SmsBridge.AppHost.Publishing;

/// <summary>
/// The part of the Compose file format the stack writes, for <see cref="ComposeYaml"/>: keys are written in the order
/// of the properties, in snake_case, and a property left null is not written.
/// </summary>
internal sealed class ComposeFile
{
    public OrderedDictionary<string, ComposeService> Services { get; init; } = [];

    public OrderedDictionary<string, ComposeNetwork>? Networks { get; init; }

    public OrderedDictionary<string, ComposeVolume>? Volumes { get; init; }

    public OrderedDictionary<string, ComposeSecret>? Secrets { get; init; }
}

internal sealed class ComposeService
{
    public string? Image { get; set; }

    public ComposeBuild? Build { get; set; }

    public List<string>? Profiles { get; set; }

    public string? Restart { get; set; }

    public string? User { get; set; }

    public bool? ReadOnly { get; set; }

    public List<string>? Tmpfs { get; set; }

    public List<string>? SecurityOpt { get; set; }

    public List<string>? CapDrop { get; set; }

    public string? MemLimit { get; set; }

    public string? Cpus { get; set; }

    public int? PidsLimit { get; set; }

    public ComposeLogging? Logging { get; set; }

    public List<string>? Entrypoint { get; set; }

    public List<string>? Command { get; set; }

    public OrderedDictionary<string, string>? Environment { get; set; }

    public List<string>? Secrets { get; set; }

    public List<string>? GroupAdd { get; set; }

    public List<string>? Ports { get; set; }

    public List<string>? Volumes { get; set; }

    public ServiceNetworks? Networks { get; set; }

    public OrderedDictionary<string, ComposeDependency>? DependsOn { get; set; }

    public ComposeHealthcheck? Healthcheck { get; set; }

    public string? StopGracePeriod { get; set; }
}

internal sealed class ComposeBuild
{
    public required string Context { get; init; }

    public string? Dockerfile { get; init; }

    public OrderedDictionary<string, string>? Args { get; init; }

    public string? Target { get; init; }
}

internal sealed record ComposeLogging(string Driver, OrderedDictionary<string, string> Options);

internal sealed record ComposeDependency(string Condition);

internal sealed class ComposeHealthcheck
{
    public List<string>? Test { get; init; }

    public string? Interval { get; init; }

    public string? Timeout { get; init; }

    public int? Retries { get; init; }

    public string? StartPeriod { get; init; }

    public bool? Disable { get; init; }
}

internal sealed class ComposeNetwork
{
    public bool? Internal { get; init; }

    public required ComposeIpam Ipam { get; init; }
}

internal sealed record ComposeIpam(List<ComposeSubnet> Config);

internal sealed record ComposeSubnet(string Subnet);

/// <summary>A named volume with the engine's defaults (written <c>{}</c>).</summary>
internal sealed class ComposeVolume;

internal sealed record ComposeSecret(string File);

/// <summary>A service's networks: a list of names, or a map when the service has a fixed address on one of them.</summary>
internal sealed class ServiceNetworks : IYamlConvertible
{
    private readonly List<(string Name, string? Address)> _networks;

    public ServiceNetworks(params string[] names) => _networks = [.. names.Select(n => (n, (string?)null))];

    private ServiceNetworks(string name, string address) => _networks = [(name, address)];

    public static ServiceNetworks WithAddress(string network, string ipv4Address) => new(network, ipv4Address);

    public IEnumerable<string> Names => _networks.Select(n => n.Name);

    void IYamlConvertible.Read(IParser parser, Type expectedType, ObjectDeserializer nestedObjectDeserializer) =>
        throw new NotSupportedException("The publisher only writes compose files.");

    void IYamlConvertible.Write(IEmitter emitter, ObjectSerializer nestedObjectSerializer)
    {
        if (_networks.All(n => n.Address is null))
        {
            nestedObjectSerializer(_networks.Select(n => n.Name).ToList());
            return;
        }

        var attachments = new OrderedDictionary<string, NetworkAttachment>();
        foreach (var (name, address) in _networks) attachments[name] = new NetworkAttachment(address);
        nestedObjectSerializer(attachments);
    }

    private sealed record NetworkAttachment([property: YamlMember(Alias = "ipv4_address")] string? Ipv4Address);
}
