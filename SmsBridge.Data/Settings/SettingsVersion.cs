namespace SmsBridge.Data.Settings;

/// <summary>One row of <c>settings_versions</c>.</summary>
public sealed record SettingsVersion(
    int Version,
    bool IsActive,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    string ChangeNote,
    DateTimeOffset? ActivatedAt,
    SmsBridgeSettings Settings);
