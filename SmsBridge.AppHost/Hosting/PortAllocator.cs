using System.Net;
using System.Net.Sockets;

namespace SmsBridge.AppHost.Hosting;

/// <summary>Free loopback ports, asked of the kernel; each handed out once per AppHost.</summary>
public static class PortAllocator
{
    private static readonly HashSet<int> Given = [];

    public static int Next()
    {
        lock (Given)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                if (Given.Add(port)) return port;
            }
        }
    }
}
