using System.Net.Http.Json;
using System.Text.Json;

namespace SmsBridge.SampleBackend.Onboarding;

/// <summary>The two calls a backend makes to SMS Bridge, answered with the receiver's status and body as they came.</summary>
public sealed class ReceiverClient(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public Task<ReceiverAnswer> RegisterAsync(string mobile, CancellationToken cancellationToken) =>
        PostAsync("/onboarding/register", new RegisterRequest(mobile), cancellationToken);

    public Task<ReceiverAnswer> SetPinAsync(string mobile, string pin, string hash, CancellationToken cancellationToken) =>
        PostAsync("/pin-setup", new PinSetupRequest(mobile, pin, hash), cancellationToken);

    private async Task<ReceiverAnswer> PostAsync<T>(string path, T body, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.PostAsJsonAsync(path, body, Json, cancellationToken);
            return new ReceiverAnswer((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (HttpRequestException ex)
        {
            return new ReceiverAnswer(0, $"The receiver did not answer ({ex.HttpRequestError}). Is it running? See the Aspire dashboard.");
        }
    }

    private sealed record RegisterRequest(string MobileNumber);

    private sealed record PinSetupRequest(string MobileNumber, string Pin, string Hash);
}

/// <summary>An HTTP status (0: no answer) and the body, with the fields the pages show.</summary>
public sealed record ReceiverAnswer(int Status, string Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>A string member of the JSON body (e.g. <c>hash</c>, or a problem's <c>code</c>), when there is one.</summary>
    public string? Field(string name)
    {
        try
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var value)
                ? value.ToString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override string ToString() => Status == 0 ? Body : $"{Status} {Field("code") ?? Field("status")}: {Field("detail") ?? Field("message") ?? Body}";
}
