namespace SmsBridge.Receiver.Security;

/// <summary>
/// The secrets the receiver cannot run without: in Production an absent one stops the start (AddServiceDefaults). The AppHost
/// gives exactly these (a test compares them with the manifest).
/// </summary>
public static class ReceiverRequiredSecrets
{
    public static readonly string[] Settings =
    [
        "Secrets:BackendApiKey", "Secrets:GatewayApiKey", "Secrets:GatewaySigningKey", "Secrets:WebhookSecret",
        "Secrets:PinEncryptionKey", "Secrets:HashKey",
        "ConnectionStrings:smsbridge", "ConnectionStrings:smsbridge-migrations", "ConnectionStrings:cache",
    ];
}
