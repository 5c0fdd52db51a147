using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SmsBridge.Data.Inbox;
using SmsBridge.Data.Settings;
using SmsBridge.ServiceDefaults.Web;

namespace SmsBridge.Receiver.Inbound;

/// <summary>The shapes gateways post in, read into one <see cref="InboundSms"/> or a problem naming the field at fault.</summary>
public static class SmsPayloads
{
    public const int MaxMessageLength = 1600;

    public sealed record ReceiveRequest(string? MobileNumber, string? Message, string? ReceivedAt, string? Sender);

    public sealed record GatewayWebhook(string? Event, string? Id, string? DeviceId, GatewayMessage? Payload);

    public sealed record GatewayMessage(string? MessageId, string? Message, string? PhoneNumber, string? ReceivedAt);

    private static readonly JsonSerializerOptions GatewayJson = new(JsonSerializerDefaults.Web);

    public static (InboundSms? Sms, ProblemHttpResult? Error) FromReceive(ReceiveRequest request, string rawPayload, string? source,
        DateTimeOffset now)
    {
        if (!PhoneNumbers.IsE164(request.MobileNumber))
        {
            return (null, Problem.Validation("mobile_number must be E.164: '+' then 8-15 digits, no leading 0.", "mobile_number"));
        }

        if (CheckText(request.Message, "message", MaxMessageLength, required: true) is { } messageError) return (null, messageError);
        if (CheckText(request.Sender, "sender", 64, required: false) is { } senderError) return (null, senderError);
        if (ParseTime(request.ReceivedAt) is not { } receivedAt)
        {
            return (null, Problem.Validation("received_at must be an ISO 8601 time with a zone, e.g. 2026-01-31T12:00:00Z.", "received_at"));
        }

        return (new InboundSms(Guid.CreateVersion7(now), "api", source, request.MobileNumber!, request.MobileNumber!, request.Message!,
            rawPayload, request.Sender, receivedAt, request.ReceivedAt!, null, now), null);
    }

    /// <summary>The Android SMS Gateway app's <c>sms:received</c> webhook: numbers without '+', local times with offsets.</summary>
    public static (InboundSms? Sms, ProblemHttpResult? Error) FromGateway(byte[] body, string? source, SmsBridgeSettings settings,
        DateTimeOffset now)
    {
        GatewayWebhook? webhook;
        try
        {
            webhook = JsonSerializer.Deserialize<GatewayWebhook>(body, GatewayJson);
        }
        catch (JsonException)
        {
            return (null, Problem.Validation("The body is not the gateway's JSON webhook."));
        }

        if (webhook?.Event != "sms:received") return (null, Problem.Validation("event must be sms:received.", "event"));
        var message = webhook.Payload;
        if (message is null) return (null, Problem.Validation("payload is required.", "payload"));
        if (CheckText(message.MessageId, "payload.messageId", 128, required: true) is { } idError) return (null, idError);
        if (CheckText(message.Message, "payload.message", MaxMessageLength, required: true) is { } messageError) return (null, messageError);
        if (PhoneNumbers.Normalise(message.PhoneNumber, settings.DefaultCountryCode) is not { } mobile)
        {
            return (null, Problem.Validation("payload.phoneNumber is not a phone number.", "payload.phoneNumber"));
        }

        if (ParseTime(message.ReceivedAt) is not { } receivedAt)
        {
            return (null, Problem.Validation("payload.receivedAt must be an ISO 8601 time with an offset.", "payload.receivedAt"));
        }

        var device = string.IsNullOrEmpty(webhook.DeviceId) ? "unknown" : webhook.DeviceId;
        return (new InboundSms(Guid.CreateVersion7(now), "android-sms-gateway", source, mobile, message.PhoneNumber!, message.Message!,
            Encoding.UTF8.GetString(body), null, receivedAt, message.ReceivedAt!, $"{device}/{message.MessageId}", now), null);
    }

    private static ProblemHttpResult? CheckText(string? value, string field, int maxLength, bool required)
    {
        if (value is null) return required ? Problem.Validation($"{field} is required.", field) : null;
        if (required && string.IsNullOrWhiteSpace(value)) return Problem.Validation($"{field} must not be empty.", field);
        if (value.Length > maxLength) return Problem.Validation($"{field} must be at most {maxLength} characters.", field);
        if (value.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            return Problem.Validation($"{field} contains control characters.", field);
        }

        return null;
    }

    private static DateTimeOffset? ParseTime(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 64) return null;
        // A zone is required: a bare local time would be read in the server's zone, silently wrong.
        if (!value.EndsWith('Z') && !value.EndsWith("z", StringComparison.Ordinal) && value.LastIndexOfAny(['+', '-']) < 10) return null;
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed.ToUniversalTime()
            : null;
    }
}
