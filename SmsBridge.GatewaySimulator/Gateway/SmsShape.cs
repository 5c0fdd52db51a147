namespace SmsBridge.GatewaySimulator.Gateway;

/// <summary>The ways a gateway posts an SMS to the receiver (the contract's <c>POST /sms/receive</c> section).</summary>
public enum SmsShape
{
    /// <summary>The Android SMS Gateway app's signed <c>sms:received</c> webhook: number without '+', local time with an offset.</summary>
    AndroidSmsGateway,

    /// <summary>Plain JSON with the API key in <c>X-Api-Key</c>.</summary>
    Json,

    /// <summary><c>application/x-www-form-urlencoded</c> with the API key as <c>?apiKey=</c>.</summary>
    Form,
}

/// <summary>One SMS as the phone received it.</summary>
public sealed record SimulatedSms(string Mobile, string Message, DateTimeOffset ReceivedAt);
