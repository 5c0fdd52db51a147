using System.Net;
using System.Net.Http.Json;
using SmsBridge.Receiver.Onboarding;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Receiver;

/// <summary>Requests that could be read two ways, or carry what no backend sends, are refused rather than guessed at.</summary>
[Collection(GraphCollection.Name)]
public sealed class AmbiguousInputTests(GraphFixture graph)
{
    private VerificationFlow Flow => graph.Flow;

    private async Task<HttpResponseMessage> PostSmsWithKeysAsync(string mobile, string? header, params string[] queryKeys)
    {
        var query = string.Join('&', queryKeys.Select(k => "apiKey=" + Uri.EscapeDataString(k)));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sms/receive" + (query.Length > 0 ? "?" + query : ""))
        {
            Content = JsonContent.Create(new { mobile_number = mobile, message = "ONBOARD:ABCDEFGH", received_at = DateTimeOffset.UtcNow.UtcDateTime.ToString("O") }),
        };
        if (header is not null) request.Headers.Add("X-Api-Key", header);
        return await Flow.Receiver.SendAsync(request);
    }

    [Fact]
    public async Task A_header_key_and_a_different_query_key_get_401_in_either_order_of_right_and_wrong()
    {
        var key = Flow.Secret("gateway-api-key");
        var mobile = VerificationFlow.NewMobile();

        foreach (var (header, query) in new[] { (key, "wrong-" + key), ("wrong-" + key, key) })
        {
            using var response = await PostSmsWithKeysAsync(mobile, header, query);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("UNAUTHORIZED", await VerificationFlowTests.ProblemCodeAsync(response));
        }

        using var twoQueryKeys = await PostSmsWithKeysAsync(mobile, null, key, "wrong-" + key);
        Assert.Equal(HttpStatusCode.Unauthorized, twoQueryKeys.StatusCode);
        Assert.Equal(0L, await Flow.ScalarAsync<long>("SELECT count(*) FROM sms_inbox WHERE mobile_number = $1", mobile));

        // The same key both ways is not ambiguous, and each way alone still works.
        foreach (var (header, query) in new[] { (key, new[] { key }), (key, []), (null, new[] { key }) })
        {
            using var accepted = await PostSmsWithKeysAsync(VerificationFlow.NewMobile(), header, query);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }
    }

    public static TheoryData<string> BadDeviceIds() =>
    [
        "", new string('a', DeviceIds.MaxLength + 1), "device 42", "pixel/7", "<script>", "id\"quote", "tab\tid", "naïve", "emoji-📱", "a;b",
    ];

    [Theory]
    [MemberData(nameof(BadDeviceIds))]
    public async Task A_device_id_outside_the_bounds_gets_400_naming_the_rule(string deviceId)
    {
        var mobile = VerificationFlow.NewMobile();
        using var response = await Flow.Backend.PostAsJsonAsync("/onboarding/register", new { mobile_number = mobile, device_id = deviceId });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("VALIDATION_ERROR", body.RootElement.GetProperty("code").GetString());
        Assert.Equal(DeviceIds.Rule, body.RootElement.GetProperty("detail").GetString());
        Assert.Equal("device_id", body.RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task The_openapi_document_states_the_device_id_rule()
    {
        using var response = await Flow.Receiver.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var deviceId = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(nameof(RegisterRequest))
            .GetProperty("properties").GetProperty("device_id");
        Assert.StartsWith(DeviceIds.Rule, deviceId.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Device_ids_backends_send_are_accepted_up_to_the_longest_allowed()
    {
        foreach (var deviceId in new[]
                 {
                     "3f2b8c1e-9d4a-4e7b-8c2f-1a5b6c7d8e9f", "a1b2c3d4e5f60718", "samsung:SM-G991B:R58R12345", "fcm_token.v2-AbC",
                     new string('x', DeviceIds.MaxLength), "7",
                 })
        {
            using var response = await Flow.Backend.PostAsJsonAsync("/onboarding/register",
                new { mobile_number = VerificationFlow.NewMobile(), device_id = deviceId });
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{deviceId} → {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
