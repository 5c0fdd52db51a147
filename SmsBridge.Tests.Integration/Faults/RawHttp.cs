using System.Net.Sockets;
using System.Text;

namespace SmsBridge.Tests.Faults;

/// <summary>
/// Sends bytes exactly as given over a loopback socket (HttpClient refuses to send the broken requests a hostile
/// client would) and reads the status line and body of the answer; the server closes after each.
/// </summary>
public static class RawHttp
{
    private const int Chunk = 16 * 1024;

    public static async Task<(int Status, string Body)> SendAsync(int port, byte[] request, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, timeout.Token);
        var stream = client.GetStream();
        try
        {
            // The server answers an oversized body (413, from its Content-Length) and closes without reading it. A close with
            // unread bytes makes the server's kernel reset the connection and drop the answer it has not sent yet, so a
            // large body waits for that answer first (as Expect: 100-continue would), and stops once any answer arrives.
            var headLength = request.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
            await stream.WriteAsync(request.AsMemory(0, headLength), timeout.Token);
            if (request.Length - headLength > Chunk) await AnswerOrQuietAsync(client, TimeSpan.FromSeconds(5), timeout.Token);
            for (var sent = headLength; sent < request.Length && client.Available == 0; sent += Chunk)
            {
                await stream.WriteAsync(request.AsMemory(sent, Math.Min(Chunk, request.Length - sent)), timeout.Token);
            }
        }
        catch (IOException)
        {
            // Reset while sending: read whatever answer arrived.
        }

        using var response = new MemoryStream();
        try
        {
            await stream.CopyToAsync(response, timeout.Token);
        }
        catch (IOException)
        {
            // A reset after the answer was sent: keep what arrived.
        }

        var bytes = response.ToArray();
        var headEnd = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        var head = Encoding.ASCII.GetString(bytes, 0, headEnd < 0 ? bytes.Length : headEnd);
        var firstLine = head.Split("\r\n", 2)[0].Split(' ');
        if (firstLine.Length < 2 || !int.TryParse(firstLine[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var status))
        {
            throw new InvalidOperationException($"No HTTP answer (got {bytes.Length} bytes: '{head[..Math.Min(80, head.Length)]}').");
        }

        if (headEnd < 0) return (status, "");
        var body = bytes[(headEnd + 4)..];
        var chunked = head.Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase);
        return (status, Encoding.UTF8.GetString(chunked ? Dechunk(body) : body));
    }

    private static async Task AnswerOrQuietAsync(TcpClient client, TimeSpan wait, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (client.Available == 0 && waited.Elapsed < wait) await Task.Delay(20, cancellationToken);
    }

    private static byte[] Dechunk(byte[] body)
    {
        var result = new List<byte>();
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = body.AsSpan(position).IndexOf("\r\n"u8);
            if (lineEnd <= 0) break;
            var sizeText = Encoding.ASCII.GetString(body, position, lineEnd).Split(';')[0];
            var size = int.Parse(sizeText, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            if (size == 0) break;
            var start = position + lineEnd + 2;
            result.AddRange(body.AsSpan(start, Math.Min(size, body.Length - start)).ToArray());
            position = start + size + 2;
        }

        return [.. result];
    }

    public static byte[] Request(string method, string target, IEnumerable<(string Name, string Value)> headers, byte[] body, bool contentLength = true)
    {
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        foreach (var (name, value) in headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        if (contentLength) head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        head.Append("\r\n");
        return [.. Encoding.UTF8.GetBytes(head.ToString()), .. body];
    }
}
