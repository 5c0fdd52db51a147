using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SmsBridge.GatewaySimulator.Gateway;

/// <summary>Posts one SMS to the receiver in the chosen shape and keeps the receiver's answer as it came.</summary>
public sealed class SmsSender(HttpClient http, GatewayKeys keys, TimeProvider time)
{
    public static readonly ActivitySource Tracing = new("SmsBridge.GatewaySimulator");
    private const string ReceivedAtFormat = "yyyy-MM-dd'T'HH:mm:ss.fffzzz";

    /// <param name="flowTraceparent">The registration's flow, which this SMS joins (the sample backend keeps it).</param>
    public async Task<GatewayAnswer> SendAsync(SmsShape shape, SimulatedSms sms, string? flowTraceparent, CancellationToken cancellationToken)
    {
        using var activity = flowTraceparent is null
            ? Tracing.StartActivity("send SMS")
            : Tracing.StartActivity("send SMS", ActivityKind.Internal, flowTraceparent);
        activity?.SetTag("smsbridge.gateway.shape", shape.ToString());
        using var request = shape switch
        {
            SmsShape.AndroidSmsGateway => AndroidWebhook(sms),
            SmsShape.Json => new HttpRequestMessage(HttpMethod.Post, "/sms/receive")
            {
                Content = JsonContent.Create(new Dictionary<string, string>
                {
                    ["mobile_number"] = sms.Mobile, ["message"] = sms.Message, ["received_at"] = Format(sms.ReceivedAt),
                }),
                Headers = { { "X-Api-Key", keys.ApiKey } },
            },
            _ => new HttpRequestMessage(HttpMethod.Post, "/sms/receive?apiKey=" + Uri.EscapeDataString(keys.ApiKey))
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["mobile_number"] = sms.Mobile, ["message"] = sms.Message, ["received_at"] = Format(sms.ReceivedAt),
                }),
            },
        };
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return new GatewayAnswer(shape, (int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (HttpRequestException ex)
        {
            return new GatewayAnswer(shape, 0, $"The receiver did not answer ({ex.HttpRequestError}). Is it running? See the Aspire dashboard.");
        }
    }

    /// <summary>The app's webhook: X-Signature is hex HMAC-SHA256 with the signing key over the raw body, then X-Timestamp.</summary>
    private HttpRequestMessage AndroidWebhook(SimulatedSms sms)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            @event = "sms:received",
            id = Guid.NewGuid().ToString(),
            deviceId = "gateway-simulator",
            payload = new
            {
                messageId = Guid.NewGuid().ToString("N")[..12],
                message = sms.Message,
                phoneNumber = sms.Mobile.TrimStart('+'),
                receivedAt = Format(sms.ReceivedAt),
            },
        });
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(keys.SigningKey), (byte[])[.. body, .. Encoding.UTF8.GetBytes(timestamp)]));
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        return new HttpRequestMessage(HttpMethod.Post, "/sms/receive/android-sms-gateway")
        {
            Content = content,
            Headers = { { "X-Timestamp", timestamp }, { "X-Signature", signature } },
        };
    }

    private static string Format(DateTimeOffset time) => time.ToString(ReceivedAtFormat, CultureInfo.InvariantCulture);
}

/// <summary>The receiver's status (0: no answer) and body for one post.</summary>
public sealed record GatewayAnswer(SmsShape Shape, int Status, string Body);
