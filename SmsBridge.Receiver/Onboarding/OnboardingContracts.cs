using System.ComponentModel;

namespace SmsBridge.Receiver.Onboarding;

public sealed record RegisterRequest(
    string? MobileNumber,
    string? Email,
    [property: Description(DeviceIds.Rule + " Optional.")] string? DeviceId);

public sealed record RegisterResponse(
    string Status,
    string SmsReceivingNumber,
    string Hash,
    DateTime GeneratedAt,
    DateTime UserDeadline,
    int UserTimelimitSeconds);

public sealed record PinSetupRequest(string? MobileNumber, string? Pin, string? Hash);

public sealed record PinSetupResponse(string Status, string Message);
