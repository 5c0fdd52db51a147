using System.Text.RegularExpressions;
using SmsBridge.Processes;

namespace SmsBridge.Admin.Doctor;

public enum LegacyTlsVerdict
{
    /// <summary>The server completed a handshake on the old protocol.</summary>
    Accepted,

    /// <summary>The server would not speak it (an alert, a reset, another version).</summary>
    Refused,

    /// <summary>This machine cannot offer the protocol at all, so nothing was learnt about the server.</summary>
    CannotOffer,
}

public sealed record LegacyTlsOutcome(LegacyTlsVerdict Verdict, string Detail);

/// <summary>
/// Asks the server for TLS 1.0 or 1.1 through <c>openssl s_client</c>, run as a separate process. .NET cannot do
/// it here: with Debian's OpenSSL 3, <c>SslProtocols.Tls11</c> fails in the client before anything is sent
/// (security level 2 forbids the SHA-1 handshake signatures TLS 1.1 needs), and .NET has no way to lower the
/// security level of one connection, whereas <c>openssl s_client -cipher DEFAULT@SECLEVEL=0</c> can.
/// </summary>
public static partial class LegacyTlsProbe
{
    // Client-side failures: the handshake never reached the server's opinion of the protocol.
    private static readonly string[] CannotOfferMarkers =
    [
        "no protocols available", "no ciphers available", "legacy sigalg disallowed", "unknown option", "unsupported option",
    ];

    /// <param name="host">As in a URL (an IPv6 address in brackets).</param>
    /// <param name="protocol"><c>tls1</c> or <c>tls1_1</c>, the s_client option.</param>
    public static async Task<LegacyTlsOutcome> RunAsync(string host, int port, bool sendServerName, string protocol, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        List<string> arguments = ["s_client", "-connect", $"{host}:{port}", "-" + protocol, "-cipher", "DEFAULT@SECLEVEL=0", "-brief"];
        if (sendServerName) arguments.AddRange(["-servername", host]);
        ProgramResult result;
        try
        {
            // stdin is closed, which makes s_client leave right after the handshake.
            result = await ExternalProgram.CaptureAsync(new ProgramInvocation("openssl", arguments) { Timeout = timeout }, cancellationToken);
        }
        catch (ProgramNotFoundException e)
        {
            return new LegacyTlsOutcome(LegacyTlsVerdict.CannotOffer, $"openssl is not available here ({e.Message})");
        }
        catch (TimeoutException)
        {
            // Silence is not a handshake: the server did not accept the protocol within the time.
            return new LegacyTlsOutcome(LegacyTlsVerdict.Refused, $"no answer within {timeout.TotalSeconds:0} s");
        }

        var said = result.All;
        if (result.Succeeded && said.Contains("CONNECTION ESTABLISHED", StringComparison.Ordinal))
        {
            var version = ProtocolLine().Match(said);
            var cipher = CipherLine().Match(said);
            return new LegacyTlsOutcome(LegacyTlsVerdict.Accepted,
                $"{(version.Success ? version.Groups[1].Value : protocol)} with {(cipher.Success ? cipher.Groups[1].Value : "an unknown cipher")}");
        }

        var reason = FirstErrorLine(said);
        return CannotOfferMarkers.Any(m => said.Contains(m, StringComparison.OrdinalIgnoreCase))
            ? new LegacyTlsOutcome(LegacyTlsVerdict.CannotOffer, reason)
            : new LegacyTlsOutcome(LegacyTlsVerdict.Refused, reason);
    }

    // "80DB…:error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:../ssl/…" → "tlsv1 alert protocol version".
    private static string FirstErrorLine(string said)
    {
        var line = said.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains(":error:", StringComparison.Ordinal))
                   ?? said.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0)
                   ?? "no output";
        var parts = line.Split(':');
        return parts.Length >= 6 && parts[1] == "error" ? parts[5] : line;
    }

    [GeneratedRegex(@"^Protocol version: (\S+)", RegexOptions.Multiline)]
    private static partial Regex ProtocolLine();

    [GeneratedRegex(@"^Ciphersuite: (\S+)", RegexOptions.Multiline)]
    private static partial Regex CipherLine();
}
