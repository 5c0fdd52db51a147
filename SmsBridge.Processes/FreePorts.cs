using System.Net;
using System.Net.Sockets;

namespace SmsBridge.Processes;

/// <summary>
/// Loopback ports for scratch servers and test stubs, each handed out once per run, from above the kernel's ephemeral range
/// (ip_local_port_range, 32768–60999 by default): a port the kernel hands out for "port 0" can be taken again as the source
/// port of any outgoing connection before the server that was meant to get it binds it, and with several test processes
/// connecting all the time that happened. DCP gives the graph's proxyless endpoints ports from 10000–32767, below both.
/// </summary>
public static class FreePorts
{
    private static readonly HashSet<int> HandedOut = [];
    private static readonly (int First, int Last) Range = AboveEphemeralRange();

    public static int Next()
    {
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(Range.First, Range.Last + 1);
                if (!HandedOut.Contains(port) && CanBind(port) && HandedOut.Add(port)) return port;
            }

            throw new InvalidOperationException($"No free loopback port left in {Range.First}–{Range.Last}.");
        }
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static (int First, int Last) AboveEphemeralRange()
    {
        const string setting = "/proc/sys/net/ipv4/ip_local_port_range";
        var last = File.Exists(setting) && File.ReadAllText(setting).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries) is [_, var top]
            ? int.Parse(top, System.Globalization.CultureInfo.InvariantCulture)
            : 60999;
        // A kernel whose ephemeral range reaches the top leaves nothing above it: share the top 2,000 ports then.
        return last <= 63535 ? (last + 1, 65535) : (63536, 65535);
    }
}
