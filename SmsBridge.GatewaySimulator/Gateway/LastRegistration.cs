using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SmsBridge.GatewaySimulator.Gateway;

/// <summary>The sample backend's newest registration, to fill the form in with: whose phone texts what, and the flow's trace.</summary>
public sealed class LastRegistration(HttpClient http, ILogger<LastRegistration> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<Registration?> GetAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync("/api/registrations/latest", cancellationToken);
            return response.StatusCode == HttpStatusCode.OK
                ? await response.Content.ReadFromJsonAsync<Registration>(Json, cancellationToken)
                : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException)
        {
            logger.LogInformation("No registration from the sample backend ({Reason}); the form starts empty", ex.Message);
            return null;
        }
    }

    public sealed record Registration(string MobileNumber, string Message, string SmsReceivingNumber, string? Traceparent);
}
