using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SmsBridge.Tests.Faults;

/// <summary>
/// Malformed and hostile requests for every public endpoint: broken and oversized bodies, wrong types, huge
/// numbers, broken UTF-8, header injection, path traversal, SQL and script text, wrong methods and unknown paths.
/// Each request that names a mobile uses one from <see cref="Mobiles"/>, so the test can prove nothing was stored.
/// </summary>
public sealed class HostileCorpus(string backendKey, string gatewayKey, string signingKey)
{
    private static readonly string[] Sql = ["'; DROP TABLE sms_inbox; --", "1' OR '1'='1", "+447700900123'); DELETE FROM onboarded_mobiles; --"];
    private static readonly string[] Script = ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "{{7*7}}${7*7}"];
    private static readonly string[] Traversal = ["../../../../etc/passwd", "..%2f..%2f..%2fetc%2fpasswd", "C:\\Windows\\win.ini"];

    public List<string> Mobiles { get; } = [];

    public IEnumerable<(string Name, byte[] Request)> All()
    {
        var requests = new List<(string, byte[])>();
        foreach (var (path, auth) in new[]
                 {
                     ("/onboarding/register", Bearer()),
                     ("/pin-setup", Bearer()),
                     ("/sms/receive", ApiKey()),
                 })
        {
            foreach (var (name, body) in JsonBodies(path)) requests.Add(($"{path} {name}", Post(path, auth, "application/json", body)));
            foreach (var (name, headers) in BadHeaders(auth)) requests.Add(($"{path} {name}", Post(path, headers, "application/json", Valid(path))));
            requests.Add(($"{path} oversized", Post(path, auth, "application/json", Oversized(path))));
            requests.Add(($"{path} form garbage", Post(path, auth, "application/x-www-form-urlencoded", Encoding.UTF8.GetBytes("mobile_number=%ZZ&&message=%00%FF&=x"))));
            requests.Add(($"{path} xml", Post(path, auth, "application/xml", Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"))));
            requests.Add(($"{path} no content type", RawHttp.Request("POST", path, auth, Valid(path))));
            requests.Add(($"{path} GET", RawHttp.Request("GET", path, auth, [])));
            requests.Add(($"{path} DELETE", RawHttp.Request("DELETE", path, auth, [])));
            requests.Add(($"{path} query injection", Post(path + "?apiKey=%27%20OR%201%3D1--&mobile_number=%3Cscript%3E", auth, "application/json", Valid(path))));
        }

        foreach (var (name, body) in GatewayBodies())
        {
            requests.Add(($"android {name} signed", Gateway(body, sign: true)));
            requests.Add(($"android {name} unsigned", Gateway(body, sign: false)));
        }

        requests.Add(("android stale timestamp", Gateway(GatewayBody(NewMobile()[1..], "ONBOARD:ABCDEFGH"), sign: true, DateTimeOffset.UtcNow.AddHours(-1))));
        requests.Add(("android huge timestamp", RawHttp.Request("POST", "/sms/receive/android-sms-gateway",
            [("Content-Type", "application/json"), ("X-Timestamp", "99999999999999999999999"), ("X-Signature", new string('a', 64))],
            GatewayBody(NewMobile()[1..], "ONBOARD:ABCDEFGH"))));
        requests.Add(("android form form", RawHttp.Request("POST", "/sms/receive/android-sms-gateway",
            [("Content-Type", "application/x-www-form-urlencoded"), ("X-Timestamp", "1"), ("X-Signature", "zz")], Encoding.UTF8.GetBytes("a=b"))));

        foreach (var target in UnknownTargets())
        {
            requests.Add(($"GET {target}", RawHttp.Request("GET", target, Bearer(), [])));
            requests.Add(($"POST {target}", Post(target, Bearer(), "application/json", Encoding.UTF8.GetBytes("{\"mobile_number\":\"" + NewMobile() + "\"}"))));
        }

        foreach (var method in new[] { "TRACE", "OPTIONS", "PUT", "PATCH", "CONNECT", "PROPFIND", "FOO" })
        {
            requests.Add(($"{method} /sms/receive", RawHttp.Request(method, "/sms/receive", ApiKey(), [])));
        }

        return requests;
    }

    private IEnumerable<(string, byte[])> JsonBodies(string path)
    {
        var mobile = NewMobile();
        string Body(string mobileJson, string restJson) => path switch
        {
            "/onboarding/register" => $"{{\"mobile_number\":{mobileJson}{restJson}}}",
            "/pin-setup" => $"{{\"mobile_number\":{mobileJson},\"pin\":\"2468\",\"hash\":\"ABCDEFGH\"{restJson}}}",
            _ => $"{{\"mobile_number\":{mobileJson},\"message\":\"ONBOARD:ABCDEFGH\",\"received_at\":\"2026-01-01T00:00:00Z\"{restJson}}}",
        };

        var bodies = new List<(string, string)>
        {
            ("empty", ""),
            ("truncated", Body($"\"{mobile}\"", "")[..20]),
            ("null", "null"),
            ("array", "[1,2,3]"),
            ("string", "\"hello\""),
            ("number mobile", Body("447700900123", "")),
            ("huge number mobile", Body("1e309", "")),
            ("huge integer mobile", Body("99999999999999999999999999999999999999", "")),
            ("bool mobile", Body("true", "")),
            ("object mobile", Body("{\"$gt\":\"\"}", "")),
            ("array mobile", Body($"[\"{mobile}\"]", "")),
            ("fullwidth digits", Body("\"+４４７７００９００１２３\"", "")),
            ("null byte", Body($"\"{mobile}\\u0000\"", "")),
            ("crlf in mobile", Body($"\"{mobile}\\r\\nX-Injected: 1\"", "")),
            ("long mobile", Body("\"+" + new string('4', 5000) + "\"", "")),
            ("duplicate keys", Body($"\"{mobile}\"", $",\"mobile_number\":\"{Sql[0]}\"")),
            ("deep nesting", new string('[', 2000) + new string(']', 2000)),
            ("extra huge number", Body($"\"{mobile}\"", ",\"email\":1e999999,\"pin\":-99999999999999999999,\"hash\":1.5e308")),
            ("wrong type fields", Body($"\"{mobile}\"", ",\"email\":[1],\"device_id\":{},\"pin\":123456,\"hash\":false,\"message\":7,\"received_at\":0,\"sender\":{}")),
        };
        bodies.AddRange(Sql.Select((s, i) => ($"sql mobile {i}", Body(Json(s), ""))));
        bodies.AddRange(Sql.Select((s, i) => ($"sql fields {i}", Body($"\"{mobile}\"", $",\"email\":{Json(s)},\"device_id\":{Json(s)},\"pin\":{Json(s)},\"hash\":{Json(s)},\"message\":{Json(s)},\"received_at\":{Json(s)}"))));
        bodies.AddRange(Script.Select((s, i) => ($"script {i}", Body($"\"{mobile}\"", $",\"email\":{Json(s)},\"device_id\":{Json(s)},\"hash\":{Json(s)},\"received_at\":{Json(s)}"))));
        bodies.AddRange(Traversal.Select((s, i) => ($"traversal {i}", Body(Json(s), $",\"device_id\":{Json(s)}"))));

        foreach (var (name, text) in bodies) yield return (name, Encoding.UTF8.GetBytes(text));
        var valid = Encoding.UTF8.GetBytes(Body($"\"{mobile}\"", ""));
        yield return ("broken utf-8", [.. valid[..^2], 0xC3, 0x28, 0xFF, .. valid[^2..]]);
        yield return ("overlong utf-8", [.. Encoding.UTF8.GetBytes("{\"mobile_number\":\"+44770"), 0xC0, 0xAF, .. Encoding.UTF8.GetBytes("0900123\"}")]);
        yield return ("lone surrogate escape", Encoding.UTF8.GetBytes(Body("\"+447700\\ud800900123\"", "")));
        yield return ("utf-16 body", Encoding.Unicode.GetBytes(Body($"\"{mobile}\"", "")));
    }

    private IEnumerable<(string, byte[])> GatewayBodies()
    {
        var phone = NewMobile()[1..];
        yield return ("empty", []);
        yield return ("null", "null"u8.ToArray());
        yield return ("wrong event", Encoding.UTF8.GetBytes("{\"event\":\"sms:sent\",\"payload\":{}}"));
        yield return ("no payload", Encoding.UTF8.GetBytes("{\"event\":\"sms:received\",\"id\":\"x\"}"));
        yield return ("payload array", Encoding.UTF8.GetBytes("{\"event\":\"sms:received\",\"id\":\"x\",\"payload\":[1]}"));
        yield return ("number phone", Encoding.UTF8.GetBytes("{\"event\":\"sms:received\",\"id\":\"x\",\"payload\":{\"messageId\":\"m\",\"message\":\"hi\",\"phoneNumber\":447700900123,\"receivedAt\":\"2026-01-01T00:00:00+01:00\"}}"));
        yield return ("sql phone", GatewayBody(Sql[0], "ONBOARD:ABCDEFGH"));
        yield return ("traversal phone", GatewayBody(Traversal[0], "ONBOARD:ABCDEFGH"));
        yield return ("huge receivedAt", Encoding.UTF8.GetBytes($"{{\"event\":\"sms:received\",\"id\":\"x\",\"payload\":{{\"messageId\":\"m\",\"message\":\"hi\",\"phoneNumber\":\"{phone}\",\"receivedAt\":\"99999-99-99T99:99:99+99:99\"}}}}"));
        yield return ("long message", GatewayBody(phone, new string('x', 20_000)));
        yield return ("broken utf-8", [.. GatewayBody(phone, "ONBOARD:ABCD")[..^4], 0xC3, 0x28, .. "\"}}"u8.ToArray()]);
        yield return ("deep nesting", Encoding.UTF8.GetBytes(new string('{', 1) + new string('[', 3000) + new string(']', 3000) + "}"));
        yield return ("control chars", GatewayBody(phone, "ONBOARD:\\u0007\\u0000ABCD"));
        yield return ("script", GatewayBody(phone, Script[0]));
    }

    private byte[] GatewayBody(string phone, string message) => Encoding.UTF8.GetBytes(
        $"{{\"event\":\"sms:received\",\"id\":\"{Guid.NewGuid():N}\",\"deviceId\":\"d\",\"payload\":{{\"messageId\":\"{Guid.NewGuid():N}\",\"message\":{Json(message)},\"phoneNumber\":{Json(phone)},\"receivedAt\":\"2026-01-01T00:00:00+01:00\"}}}}");

    private byte[] Gateway(byte[] body, bool sign, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = sign
            ? Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), body.Concat(Encoding.UTF8.GetBytes(timestamp)).ToArray()))
            : "'; DROP TABLE sms_inbox; --";
        return RawHttp.Request("POST", "/sms/receive/android-sms-gateway",
            [("Content-Type", "application/json"), ("X-Timestamp", timestamp), ("X-Signature", signature)], body);
    }

    private IEnumerable<(string, (string, string)[])> BadHeaders((string, string)[] auth)
    {
        yield return ("no credentials", []);
        yield return ("wrong key", [("Authorization", "Bearer wrong"), ("X-Api-Key", "wrong")]);
        yield return ("sql key", [("Authorization", "Bearer ' OR 1=1 --"), ("X-Api-Key", "' OR 1=1 --")]);
        yield return ("header injection bare cr", [.. auth, ("X-Forwarded-For", "10.0.0.1\rX-Injected: 1")]);
        yield return ("header injection bare lf", [.. auth, ("X-Note", "a\nHost: evil.example")]);
        yield return ("huge header", [.. auth, ("X-Big", new string('a', 40_000))]);
        yield return ("forwarded spoof", [.. auth, ("X-Forwarded-For", "203.0.113.7, 127.0.0.1"), ("Forwarded", "for=\"[::1]\";by=evil")]);
        yield return ("duplicate auth", [.. auth, ("Authorization", "Bearer another"), ("X-Api-Key", "another")]);
        yield return ("non-ascii header", [.. auth, ("X-Name", "caf\u00e9\u202e")]);
        yield return ("content-type charset bogus", [.. auth, ("X-Content-Type-Options", "nosniff;\u0000")]);
    }

    private static IEnumerable<string> UnknownTargets() =>
    [
        "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/onboarding/../../../etc/shadow", "/sms/receive/..%2f..%2f.env",
        "/.env", "/.git/config", "/admin", "/admin/settings", "/metrics", "/wp-login.php", "/sms/receive/unknown-gateway",
        "/onboarding/register/../../pin-setup", "/sms%00/receive", "/" + new string('a', 5000), "/sms/receive?" + new string('x', 9000),
        "/onboarding/register;jsessionid=1", "/%ZZ", "/\u00e9",
    ];

    private (string, string)[] Bearer() => [("Authorization", "Bearer " + backendKey)];

    private (string, string)[] ApiKey() => [("X-Api-Key", gatewayKey)];

    private byte[] Valid(string path) => Encoding.UTF8.GetBytes(path switch
    {
        "/onboarding/register" => $"{{\"mobile_number\":\"{NewMobile()}\"}}",
        "/pin-setup" => $"{{\"mobile_number\":\"{NewMobile()}\",\"pin\":\"2468\",\"hash\":\"ABCDEFGH\"}}",
        _ => $"{{\"mobile_number\":\"{NewMobile()}\",\"message\":\"ONBOARD:ABCDEFGH\",\"received_at\":\"2026-01-01T00:00:00Z\"}}",
    });

    private byte[] Oversized(string path) => Encoding.UTF8.GetBytes(
        $"{{\"mobile_number\":\"{NewMobile()}\",\"message\":\"{new string('x', 200_000)}\",\"email\":\"a@b.c\",\"received_at\":\"2026-01-01T00:00:00Z\"}}" + path[..0]);

    private static byte[] Post(string path, (string, string)[] headers, string contentType, byte[] body) =>
        RawHttp.Request("POST", path, [.. headers, ("Content-Type", contentType)], body);

    private string NewMobile()
    {
        var mobile = "+447706" + RandomNumberGenerator.GetInt32(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        Mobiles.Add(mobile);
        return mobile;
    }

    private static string Json(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
