using System.Net;
using Microsoft.Extensions.Options;

namespace SmsBridge.Receiver.Security;

/// <summary>
/// The LAN ranges gateway phones may post from. The remote address is the socket's, or the one a
/// trusted proxy forwarded (ServiceDefaults believes forwarded headers only from configured proxies).
/// </summary>
public sealed class SourceAllowlist(IOptions<ReceiverOptions> options)
{
    private readonly IPNetwork[] _networks = options.Value.AllowedSources.Select(IPNetwork.Parse).ToArray();

    public bool Allows(IPAddress? address)
    {
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return _networks.Any(n => n.Contains(address));
    }
}
