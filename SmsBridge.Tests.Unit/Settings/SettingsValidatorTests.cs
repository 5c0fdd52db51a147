using SmsBridge.Data.Settings;

namespace SmsBridge.Tests.Settings;

/// <summary>The bounds a settings version must keep before it is stored, each edge tried on both sides.</summary>
public sealed class SettingsValidatorTests
{
    private static readonly SmsBridgeSettings Seed = new();

    [Fact]
    public void The_seeded_settings_are_valid() => Assert.Null(SettingsValidator.Validate(Seed));

    public static TheoryData<SmsBridgeSettings, string> Faults => new()
    {
        { Seed with { SmsReceivingNumber = "12345" }, "sms_receiving_number" },
        { Seed with { SmsReceivingNumber = "+0123456789" }, "sms_receiving_number" },
        { Seed with { AllowedPrefix = " " }, "allowed_prefix" },
        { Seed with { AllowedPrefix = new string('x', 33) }, "allowed_prefix" },
        { Seed with { HashLength = 5 }, "hash_length" },
        { Seed with { HashLength = 17 }, "hash_length" },
        { Seed with { TtlHashSeconds = 59 }, "ttl_hash_seconds" },
        { Seed with { TtlHashSeconds = 86_401 }, "ttl_hash_seconds" },
        { Seed with { UserTimelimitSeconds = 29 }, "user_timelimit_seconds" },
        { Seed with { CountThreshold = 0 }, "count_threshold" },
        { Seed with { CountThreshold = 10_001 }, "count_threshold" },
        { Seed with { CountWindowSeconds = 604_801 }, "count_window_seconds" },
        { Seed with { AllowedCountries = [] }, "allowed_countries" },
        { Seed with { AllowedCountries = [null!] }, "allowed_countries" },
        { Seed with { AllowedCountries = ["91"] }, "allowed_countries" },
        { Seed with { AllowedCountries = ["+12345"] }, "allowed_countries" },
        { Seed with { DefaultCountryCode = "+0" }, "default_country_code" },
        { Seed with { SyncUrl = "ftp://backend.example.org" }, "sync_url" },
        { Seed with { SyncUrl = "/relative" }, "sync_url" },
        { Seed with { RecoveryUrl = "mailto:ops@example.org" }, "recovery_url" },
        { Seed with { Pin = new PinPolicy { MinLength = 3 } }, "pin" },
        { Seed with { Pin = new PinPolicy { MaxLength = 13 } }, "pin" },
        { Seed with { Pin = new PinPolicy { MinLength = 8, MaxLength = 6 } }, "pin" },
        { Seed with { RateLimits = new RateLimits { RegisterPerKeyPerMinute = 0 } }, "rate_limits" },
        { Seed with { Delivery = new DeliveryPolicy { RetryPeriodHours = 0 } }, "delivery.retry_period_hours" },
        { Seed with { Delivery = new DeliveryPolicy { RetryPeriodHours = 721 } }, "delivery.retry_period_hours" },
        { Seed with { MonitoringPorts = Seed.MonitoringPorts with { Metrics = 1023 } }, "monitoring_ports" },
        { Seed with { MonitoringPorts = Seed.MonitoringPorts with { Redis = Seed.MonitoringPorts.Postgres } }, "monitoring_ports" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_value_out_of_bounds_names_its_field(SmsBridgeSettings settings, string field) =>
        Assert.Equal(field, SettingsValidator.Validate(settings)?.Field);

    public static TheoryData<SmsBridgeSettings> Edges => new()
    {
        Seed with { HashLength = 6 },
        Seed with { HashLength = 16 },
        Seed with { TtlHashSeconds = 60 },
        Seed with { TtlHashSeconds = 86_400 },
        Seed with { CountThreshold = 1 },
        Seed with { CountWindowSeconds = 604_800 },
        Seed with { AllowedCountries = ["+1", "+998"] }, // assigned calling codes of one and three digits
        Seed with { SyncUrl = "http://backend:8080/sync", RecoveryUrl = "https://backend.example.org/recover" },
        Seed with { Pin = new PinPolicy { MinLength = 4, MaxLength = 4 } },
        Seed with { Delivery = new DeliveryPolicy { RetryPeriodHours = 720 } },
    };

    [Theory]
    [MemberData(nameof(Edges))]
    public void A_value_on_the_edge_is_accepted(SmsBridgeSettings settings) => Assert.Null(SettingsValidator.Validate(settings));
}
