namespace SmsBridge.Data.Notifications;

/// <summary>The LISTEN/NOTIFY channels the schema's triggers announce changes on (see 0001_initial.sql).</summary>
public static class DatabaseChannels
{
    public const string SettingsChanged = "settings_changed";
    public const string BlacklistChanged = "blacklist_changed";
    public const string OutboxQueued = "outbox_queued";
    public const string RecoveryRequested = "recovery_requested";
    public const string BackupRequested = "backup_requested";
}
