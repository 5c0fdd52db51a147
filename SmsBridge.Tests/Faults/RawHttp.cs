using System.Net.Sockets;
using System.Text;

namespace SmsBridge.Tests.Faults;

/// <summary>
/// Sends bytes exactly as given over a loopback socket (HttpClient refuses to send the broken requests a hostile
/// client would) and reads the status line and body of the answer; the server closes after each.
/// </summary>
public static class RawHttp
{
    public static async Task<(int Status, string Body)> SendAsync(int port, byte[] request, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, timeout.Token);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(request, timeout.Token);
        }
        catch (IOException)
        {
            // The server may answer and close before reading an oversized request to the end; read its answer.
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

        var text = Encoding.UTF8.GetString(response.ToArray());
        var firstLine = text.Split("\r\n", 2)[0].Split(' ');
        if (firstLine.Length < 2 || !int.TryParse(firstLine[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var status))
        {
            throw new InvalidOperationException($"No HTTP answer (got {text.Length} bytes: '{text[..Math.Min(80, text.Length)]}').");
        }

        var bodyStart = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (bodyStart < 0) return (status, "");
        var body = text[(bodyStart + 4)..];
        var chunked = text[..bodyStart].Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase);
        return (status, chunked ? Dechunk(body) : body);
    }

    private static string Dechunk(string body)
    {
        var result = new StringBuilder();
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = body.IndexOf("\r\n", position, StringComparison.Ordinal);
            if (lineEnd < 0) break;
            var size = int.Parse(body[position..lineEnd].Split(';')[0], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            if (size == 0) break;
            result.Append(body, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }

        return result.ToString();
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
