using System.Net;
using System.Net.Sockets;

namespace SmsBridge.Tests.Infrastructure;

/// <summary>
/// Loopback ports for the tests' own servers (stubs, sinks), from the kernel's ephemeral range, each handed out once per run.
/// DCP gives the graph's proxyless endpoints ports from 10000–32767, below that range, so the two never meet.
/// </summary>
public static class FreePorts
{
    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        lock (HandedOut)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (HandedOut.Add(port)) return port;
            }
        }
    }
}
