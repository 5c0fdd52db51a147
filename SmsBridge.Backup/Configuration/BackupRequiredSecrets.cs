namespace SmsBridge.Backup.Configuration;

/// <summary>
/// The secrets the backup worker cannot run without: in Production an absent one stops the start (AddServiceDefaults). The
/// AppHost gives exactly these (a test compares them with the manifest).
/// </summary>
public static class BackupRequiredSecrets
{
    public static readonly string[] Settings =
    [
        "Secrets:BackupEncryptionKey",
        "ConnectionStrings:smsbridge", "ConnectionStrings:smsbridge-backup", "ConnectionStrings:smsbridge-restore", "ConnectionStrings:cache",
    ];
}
