using System.Net;
using System.Text;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Receiver;

/// <summary>Hostile and broken requests get the contract's status and code, never a 500, and store nothing.</summary>
[Collection(GraphCollection.Name)]
public sealed class BadInputTests(GraphFixture graph)
{
    private VerificationFlow Flow => graph.Flow;

    // What each field refuses is SmsPayloadsTests' (unit); here, bodies the binding refuses and one field check through HTTP.
    public static TheoryData<string, string, string> ReceiveBodies(string mobile) => new()
    {
        { "application/json", "{\"mobile_number\": \"" + mobile + "\", \"message\": ", "VALIDATION_ERROR" },
        { "application/json", "{\"mobile_number\": \"" + mobile + "\"}", "VALIDATION_ERROR" },
        { "application/json", "{\"mobile_number\": 447700900123, \"message\": \"hi\", \"received_at\": \"2026-01-01T00:00:00Z\"}", "VALIDATION_ERROR" },
        { "application/json", "{\"mobile_number\": \"" + mobile + "\", \"message\": \"hi\", \"received_at\": \"2026-01-01T00:00:00\"}", "VALIDATION_ERROR" },
        { "application/json", "{\"mobile_number\": \"" + mobile + "\", \"message\": \"hi\", \"received_at\": \"2026-01-01T00:00:00Z\", \"sender\": [1,2]}", "VALIDATION_ERROR" },
        { "application/json", "[1, 2, 3]", "VALIDATION_ERROR" },
        { "application/json", "null", "VALIDATION_ERROR" },
        { "text/plain", "ONBOARD:ABCDEFGH", "VALIDATION_ERROR" },
    };

    [Fact]
    public async Task Malformed_receive_bodies_get_400_and_store_nothing()
    {
        var mobile = VerificationFlow.NewMobile();
        foreach (var row in ReceiveBodies(mobile))
        {
            var (contentType, body, code) = ((string)row[0], (string)row[1], (string)row[2]);
            using var content = new StringContent(body, Encoding.UTF8, contentType);
            using var response = await Flow.Gateway.PostAsync(new Uri("/sms/receive", UriKind.Relative), content);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body[..Math.Min(60, body.Length)]} → {(int)response.StatusCode}");
            Assert.Equal(code, await VerificationFlowTests.ProblemCodeAsync(response));
        }

        Assert.Equal(0L, await Flow.ScalarAsync<long>("SELECT count(*) FROM sms_inbox WHERE mobile_number = $1", mobile));
    }

    [Fact]
    public async Task Broken_utf8_and_non_e164_numbers_get_400()
    {
        using var broken = new ByteArrayContent([(byte)'{', 0xC3, 0x28, (byte)'}']);
        broken.Headers.ContentType = new("application/json");
        using var response = await Flow.Gateway.PostAsync(new Uri("/sms/receive", UriKind.Relative), broken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        foreach (var number in new[] { "447700900123", "'; DROP TABLE sms_inbox; --" })
        {
            using var bad = await Flow.PostSmsAsync(number, "ONBOARD:ABCDEFGH", DateTimeOffset.UtcNow);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("VALIDATION_ERROR", await VerificationFlowTests.ProblemCodeAsync(bad));
        }
    }

    [Fact]
    public async Task A_one_megabyte_body_gets_413()
    {
        var mobile = VerificationFlow.NewMobile();
        var body = "{\"mobile_number\": \"" + mobile + "\", \"message\": \"" + new string('A', 1024 * 1024) + "\", \"received_at\": \"2026-01-01T00:00:00Z\"}";
        // Expect: 100-continue lets the server refuse before the megabyte is sent, as a careful client would;
        // without it the server's early 413 races the client's upload (a broken pipe on the client side).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sms/receive") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        using var response = await Flow.Gateway.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("PAYLOAD_TOO_LARGE", await VerificationFlowTests.ProblemCodeAsync(response));
        Assert.Equal(0L, await Flow.ScalarAsync<long>("SELECT count(*) FROM sms_inbox WHERE mobile_number = $1", mobile));
    }

    [Fact]
    public async Task Sql_and_script_text_is_stored_verbatim_as_data()
    {
        var mobile = VerificationFlow.NewMobile();
        const string hostile = "'); DROP TABLE sms_inbox; -- <script>alert(1)</script>";
        var id = await Flow.ReceiveAsync(mobile, hostile);
        Assert.Equal("rejected:header_hash_check", await Flow.OutcomeAsync(id));
        Assert.Equal(hostile, await Flow.ScalarAsync<string>("SELECT message FROM sms_inbox WHERE id = $1", id));
    }

    [Fact]
    public async Task Wrong_or_missing_api_key_gets_401_and_a_non_lan_source_gets_403()
    {
        var mobile = VerificationFlow.NewMobile();
        var payload = new { mobile_number = mobile, message = "hi", received_at = "2026-01-01T00:00:00Z" };

        using var missing = await Flow.Receiver.PostAsJsonAsync("/sms/receive", payload);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("UNAUTHORIZED", await VerificationFlowTests.ProblemCodeAsync(missing));

        using var wrong = await Flow.Receiver.PostAsJsonAsync("/sms/receive?apiKey=not-the-key", payload);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        // The receiver trusts forwarded headers from loopback in tests: this request "comes from" the internet.
        using var outside = new HttpRequestMessage(HttpMethod.Post, "/sms/receive") { Content = JsonContent.Create(payload) };
        outside.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var forbidden = await Flow.Gateway.SendAsync(outside);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("FORBIDDEN_SOURCE", await VerificationFlowTests.ProblemCodeAsync(forbidden));

        Assert.Equal(0L, await Flow.ScalarAsync<long>("SELECT count(*) FROM sms_inbox WHERE mobile_number = $1", mobile));
    }

    [Fact]
    public async Task Unknown_routes_and_methods_get_problem_bodies()
    {
        using var notFound = await Flow.Receiver.GetAsync(new Uri("/../../etc/passwd", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("NOT_FOUND", await VerificationFlowTests.ProblemCodeAsync(notFound));

        using var wrongMethod = await Flow.Receiver.GetAsync(new Uri("/onboarding/register", UriKind.Relative));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
    }
}
