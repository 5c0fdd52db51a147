using System.Net;
using System.Text.Json;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Receiver;

[Collection(GraphCollection.Name)]
public sealed class VerificationFlowTests(GraphFixture graph)
{
    private VerificationFlow Flow => graph.Flow;

    [Fact]
    public async Task Register_receive_pin_setup_hands_off_with_the_pin_encrypted()
    {
        var mobile = VerificationFlow.NewMobile();
        using var register = await Flow.Backend.PostAsJsonAsync("/onboarding/register", new { mobile_number = mobile, email = "a@b.c" });
        Assert.Equal(HttpStatusCode.OK, register.StatusCode);
        using var issued = JsonDocument.Parse(await register.Content.ReadAsStringAsync());
        var root = issued.RootElement;
        var code = root.GetProperty("hash").GetString()!;
        Assert.Equal("success", root.GetProperty("status").GetString());
        Assert.Equal("+919000000000", root.GetProperty("sms_receiving_number").GetString());
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{8}$", code);
        Assert.Equal(300, root.GetProperty("user_timelimit_seconds").GetInt32());
        Assert.EndsWith("Z", root.GetProperty("generated_at").GetString(), StringComparison.Ordinal);
        Assert.Equal(root.GetProperty("generated_at").GetDateTime().AddSeconds(300), root.GetProperty("user_deadline").GetDateTime());

        // Phones auto-capitalise and pad: the message is matched case-insensitively after trimming.
        var messageId = await Flow.ReceiveAsync(mobile, $"  onboard:{code.ToLowerInvariant()} ");
        Assert.Equal("verified", await Flow.OutcomeAsync(messageId));

        using var pinSetup = await Flow.PinSetupAsync(mobile, "482915", code);
        Assert.Equal(HttpStatusCode.OK, pinSetup.StatusCode);
        using var accepted = JsonDocument.Parse(await pinSetup.Content.ReadAsStringAsync());
        Assert.Equal("success", accepted.RootElement.GetProperty("status").GetString());

        var ciphertext = await Flow.ScalarAsync<byte[]>("SELECT pin_ciphertext FROM webhook_outbox WHERE mobile_number = $1", mobile);
        Assert.NotNull(ciphertext);
        Assert.DoesNotContain("482915", System.Text.Encoding.UTF8.GetString(ciphertext!), StringComparison.Ordinal);
        var protector = new SmsBridge.Receiver.Security.PinProtector(Microsoft.Extensions.Options.Options.Create(new SmsBridge.Receiver.ReceiverSecrets
        {
            PinEncryptionKey = Flow.Secret("pin-encryption-key"),
            HashKey = Flow.Secret("hash-key"),
        }));
        Assert.Equal("482915", protector.Decrypt(ciphertext!));
        Assert.Equal(code, await Flow.ScalarAsync<string>("SELECT hash FROM onboarded_mobiles WHERE mobile_number = $1", mobile));

        // The mark is single-use and the mobile is now onboarded.
        using var again = await Flow.PinSetupAsync(mobile, "482915", code);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("ALREADY_COMPLETED", await ProblemCodeAsync(again));
        using var reRegister = await Flow.Backend.PostAsJsonAsync("/onboarding/register", new { mobile_number = mobile });
        Assert.Equal(HttpStatusCode.Conflict, reRegister.StatusCode);
        Assert.Equal("DUPLICATE_MOBILE", await ProblemCodeAsync(reRegister));
    }

    [Fact]
    public async Task Register_again_returns_the_same_live_code()
    {
        var mobile = VerificationFlow.NewMobile();
        Assert.Equal(await Flow.RegisterAsync(mobile), await Flow.RegisterAsync(mobile));
    }

    [Fact]
    public async Task Register_refuses_foreign_countries_and_bad_numbers_and_missing_keys()
    {
        using var foreign = await Flow.Backend.PostAsJsonAsync("/onboarding/register", new { mobile_number = "+12025550123" });
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal("COUNTRY_NOT_ALLOWED", await ProblemCodeAsync(foreign));

        using var invalid = await Flow.Backend.PostAsJsonAsync("/onboarding/register", new { mobile_number = "+0447700900123" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("VALIDATION_ERROR", await ProblemCodeAsync(invalid));

        using var anonymous = await Flow.Receiver.PostAsJsonAsync("/onboarding/register", new { mobile_number = VerificationFlow.NewMobile() });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("UNAUTHORIZED", await ProblemCodeAsync(anonymous));
    }

    [Fact]
    public async Task Pin_setup_needs_a_verified_mark_with_the_same_hash()
    {
        var unverified = VerificationFlow.NewMobile();
        var code = await Flow.RegisterAsync(unverified);
        using var notVerified = await Flow.PinSetupAsync(unverified, "1234", code);
        Assert.Equal(HttpStatusCode.Forbidden, notVerified.StatusCode);
        Assert.Equal("NOT_VERIFIED", await ProblemCodeAsync(notVerified));

        var verified = VerificationFlow.NewMobile();
        await Flow.VerifyAsync(verified);
        using var mismatch = await Flow.PinSetupAsync(verified, "1234", "ZZZZZZZZ");
        Assert.Equal(HttpStatusCode.Forbidden, mismatch.StatusCode);
        Assert.Equal("HASH_MISMATCH", await ProblemCodeAsync(mismatch));

        using var shortPin = await Flow.PinSetupAsync(verified, "12", "ZZZZZZZZ");
        Assert.Equal(HttpStatusCode.BadRequest, shortPin.StatusCode);
        Assert.Equal(0L, await Flow.ScalarAsync<long>("SELECT count(*) FROM webhook_outbox WHERE mobile_number = $1", verified));
    }

    [Fact]
    public async Task Registration_is_rate_limited_per_mobile_with_retry_after()
    {
        var mobile = VerificationFlow.NewMobile();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 11; i++)
        {
            last?.Dispose();
            last = await Flow.Backend.PostAsJsonAsync("/onboarding/register", new { mobile_number = mobile });
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
        Assert.Equal("RATE_LIMITED", await ProblemCodeAsync(last));
        Assert.NotNull(last.Headers.RetryAfter?.Delta);
        last.Dispose();
    }

    [Fact]
    public async Task Openapi_document_lists_every_contract_path_with_its_status_codes()
    {
        using var response = await Flow.Receiver.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths");
        var expected = new Dictionary<string, string[]>
        {
            ["/onboarding/register"] = ["200", "400", "401", "403", "409", "429", "503"],
            ["/sms/receive"] = ["202", "400", "401", "403", "413"],
            ["/sms/receive/android-sms-gateway"] = ["202", "400", "401", "403", "413"],
            ["/pin-setup"] = ["200", "400", "401", "403", "409", "503"],
        };
        foreach (var (path, statuses) in expected)
        {
            var responses = paths.GetProperty(path).GetProperty("post").GetProperty("responses");
            foreach (var status in statuses) Assert.True(responses.TryGetProperty(status, out _), $"{path} documents {status}");
        }
    }

    internal static async Task<string?> ProblemCodeAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(body.RootElement.TryGetProperty("timestamp", out _), "problem bodies carry a timestamp");
        return body.RootElement.GetProperty("code").GetString();
    }
}
