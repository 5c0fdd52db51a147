using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using IPNetwork = System.Net.IPNetwork;

namespace SmsBridge.Admin.Monitoring;

/// <summary>
/// One opened monitoring port: a TCP listener on the external port that pipes every accepted connection to the
/// fixed internal endpoint. Connections from outside <c>allowed_source</c> are closed at once and counted. Closing
/// stops the listener and resets every open connection. Needs no privilege beyond binding the port.
/// </summary>
public sealed class PortForwarder : IAsyncDisposable
{
    private const int BufferSize = 16 * 1024;

    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly IPNetwork? _allowedSource;
    private readonly TimeSpan _connectTimeout;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, (Socket Client, Socket Upstream)> _connections = new();
    private Task _acceptLoop = Task.CompletedTask;
    private ITimer? _expiry;
    private long _nextId;
    private long _accepted;
    private long _refused;
    private int _closed;

    private PortForwarder(IPEndPoint listenOn, IPEndPoint target, IPNetwork? allowedSource, TimeSpan connectTimeout, ILogger logger)
    {
        _listener = new TcpListener(listenOn);
        _target = target;
        _allowedSource = allowedSource;
        _connectTimeout = connectTimeout;
        _logger = logger;
    }

    /// <summary>Binds the external port and starts accepting; throws <see cref="SocketException"/> when the port is taken.</summary>
    public static PortForwarder Start(IPEndPoint listenOn, IPEndPoint target, IPNetwork? allowedSource, TimeSpan connectTimeout, ILogger logger)
    {
        var forwarder = Bind(listenOn, target, allowedSource, connectTimeout, logger);
        forwarder.StartForwarding();
        return forwarder;
    }

    /// <summary>
    /// Binds the external port without forwarding yet (connections wait in the backlog), so a taken port is known before the
    /// opening is recorded and nothing is forwarded until it is; throws <see cref="SocketException"/> when the port is taken.
    /// </summary>
    public static PortForwarder Bind(IPEndPoint listenOn, IPEndPoint target, IPNetwork? allowedSource, TimeSpan connectTimeout, ILogger logger)
    {
        var forwarder = new PortForwarder(listenOn, target, allowedSource, connectTimeout, logger);
        forwarder._listener.Start();
        return forwarder;
    }

    public void StartForwarding() => _acceptLoop = Task.Run(AcceptLoopAsync);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public long AcceptedConnections => Interlocked.Read(ref _accepted);

    public long RefusedConnections => Interlocked.Read(ref _refused);

    public int ActiveConnections => _connections.Count;

    public bool IsClosed => Volatile.Read(ref _closed) == 1;

    /// <summary>Calls <paramref name="onExpired"/> at <paramref name="expiresAt"/> by <paramref name="time"/>'s clock.</summary>
    public void ExpireAt(DateTimeOffset expiresAt, TimeProvider time, Func<Task> onExpired)
    {
        var due = expiresAt - time.GetUtcNow();
        _expiry = time.CreateTimer(_ => _ = onExpired(), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Stops listening and cuts every connection; safe to call more than once.</summary>
    public async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1) return;
        _expiry?.Dispose();
        await _stopping.CancelAsync();
        _listener.Stop();
        foreach (var (client, upstream) in _connections.Values)
        {
            Abort(client);
            Abort(upstream);
        }

        await _acceptLoop;
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException
                || (ex is SocketException && _stopping.IsCancellationRequested))
            {
                return;
            }
            catch (SocketException ex)
            {
                _logger.LogWarning("Accept failed on monitoring port {Port}: {Error}", Port, ex.SocketErrorCode);
                continue;
            }

            var remote = ((IPEndPoint)client.RemoteEndPoint!).Address;
            if (remote.IsIPv4MappedToIPv6) remote = remote.MapToIPv4();
            if (_allowedSource is { } allowed && !allowed.Contains(remote))
            {
                Interlocked.Increment(ref _refused);
                _logger.LogWarning("Refused a connection to monitoring port {Port} from {Source}: outside {Allowed}", Port, remote, allowed);
                Abort(client);
                continue;
            }

            Interlocked.Increment(ref _accepted);
            _ = Task.Run(() => PipeAsync(client));
        }
    }

    private async Task PipeAsync(Socket client)
    {
        var id = Interlocked.Increment(ref _nextId);
        var upstream = new Socket(_target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        _connections[id] = (client, upstream);
        try
        {
            // A close that raced with this accept must still cut the connection.
            if (_stopping.IsCancellationRequested) return;
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token))
            {
                connect.CancelAfter(_connectTimeout);
                await upstream.ConnectAsync(_target, connect.Token);
            }

            await Task.WhenAll(PumpAsync(client, upstream), PumpAsync(upstream, client));
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            _logger.LogDebug("Monitoring connection on port {Port} ended: {Error}", Port, ex.GetType().Name);
        }
        finally
        {
            _connections.TryRemove(id, out _);
            Abort(client);
            Abort(upstream);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, _stopping.Token);
                if (read == 0) break;
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token);
            }

            // Half-close: the peer finished sending; pass that on and keep the other direction open.
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            Abort(from);
            Abort(to);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Closes with a reset (linger 0), so the peer sees the cut at once instead of a graceful end.</summary>
    private static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        socket.Dispose();
    }
}
