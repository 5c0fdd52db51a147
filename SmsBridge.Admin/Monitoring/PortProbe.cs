using System.Net;
using System.Net.Sockets;

namespace SmsBridge.Admin.Monitoring;

/// <summary>Whether a TCP port can be bound on the forwarders' bind address right now.</summary>
public static class PortProbe
{
    public static bool IsFree(string bindAddress, int port)
    {
        if (!IPAddress.TryParse(bindAddress, out var address)) address = IPAddress.Any;
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(1);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
