using System.Text.Json;
using System.Text.Json.Serialization;

namespace SmsBridge.Data.Settings;

/// <summary>
/// One settings version, as stored in <c>settings_versions.settings</c> and shown by the admin API
/// (snake_case on the wire). The defaults here are the product's seeds; the first migration's row
/// is materialised from them. Secrets never live here: they come from secret parameters.
/// </summary>
public sealed record SmsBridgeSettings
{
    public string SmsReceivingNumber { get; init; } = "+919000000000";
    public string AllowedPrefix { get; init; } = "ONBOARD:";
    public int HashLength { get; init; } = 8;
    public int TtlHashSeconds { get; init; } = 900;
    public int UserTimelimitSeconds { get; init; } = 300;
    public int CountThreshold { get; init; } = 5;
    public int CountWindowSeconds { get; init; } = 3600;
    public IReadOnlyList<string> AllowedCountries { get; init; } = ["+91", "+44"];

    /// <summary>Country code assumed for gateway numbers that arrive without one (e.g. "9876543210").</summary>
    public string DefaultCountryCode { get; init; } = "+91";

    /// <summary>
    /// Registration refuses a number libphonenumber does not know as an assigned mobile (landlines, unassigned and
    /// test ranges); off, any possible number of an allowed country registers.
    /// </summary>
    public bool RefuseNonMobileNumbers { get; init; }

    public string? SyncUrl { get; init; }
    public string? RecoveryUrl { get; init; }
    public ValidationChecks Checks { get; init; } = new();
    public RateLimits RateLimits { get; init; } = new();
    public PinPolicy Pin { get; init; } = new();
    public DeliveryPolicy Delivery { get; init; } = new();
    public MonitoringPorts MonitoringPorts { get; init; } = new();

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static SmsBridgeSettings FromJson(string json) =>
        JsonSerializer.Deserialize<SmsBridgeSettings>(json, Json) ?? new SmsBridgeSettings();
}

public enum FailureAction
{
    Reject,
    Log,
}

public sealed record CheckSetting
{
    public bool Enabled { get; init; } = true;
    public FailureAction FailureAction { get; init; } = FailureAction.Reject;
}

/// <summary>The contract's validation pipeline, in order.</summary>
public sealed record ValidationChecks
{
    public CheckSetting HeaderHashCheck { get; init; } = new();
    public CheckSetting MobileMatchCheck { get; init; } = new();
    public CheckSetting ForeignNumberCheck { get; init; } = new();
    public CheckSetting CountCheck { get; init; } = new();
    public CheckSetting BlacklistCheck { get; init; } = new();
}

public sealed record RateLimits
{
    /// <summary>Registrations per mobile per hour.</summary>
    public int RegisterPerMobilePerHour { get; init; } = 10;

    /// <summary>Registrations per backend API key per minute.</summary>
    public int RegisterPerKeyPerMinute { get; init; } = 6000;

    /// <summary>PIN setup attempts per mobile per hour.</summary>
    public int PinSetupPerMobilePerHour { get; init; } = 10;
}

public sealed record PinPolicy
{
    public int MinLength { get; init; } = 4;
    public int MaxLength { get; init; } = 8;
}

public sealed record DeliveryPolicy
{
    /// <summary>How long a hand-off is retried before it goes to the dead-letter state.</summary>
    public int RetryPeriodHours { get; init; } = 24;

    /// <summary>Health turns degraded when the oldest undelivered hand-off is older than this.</summary>
    public int DegradedAfterSeconds { get; init; } = 300;
}

/// <summary>External ports the admin service forwards, per service; the internal endpoints are fixed.</summary>
public sealed record MonitoringPorts
{
    public int Metrics { get; init; } = 19090;
    public int Postgres { get; init; } = 15432;
    public int Pgbouncer { get; init; } = 16432;
    public int Redis { get; init; } = 16379;
}
