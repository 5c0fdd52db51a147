using SmsBridge.Data.Mobiles;

namespace SmsBridge.Data.Settings;

/// <summary>Checks a settings version before it is stored: the first field at fault, or none.</summary>
public static class SettingsValidator
{
    public static (string Field, string Error)? Validate(SmsBridgeSettings s)
    {
        if (!MobileNumbers.IsE164(s.SmsReceivingNumber)) return ("sms_receiving_number", "must be E.164, e.g. +919000000000");
        if (string.IsNullOrWhiteSpace(s.AllowedPrefix) || s.AllowedPrefix.Length > 32) return ("allowed_prefix", "must be 1-32 characters");
        if (s.HashLength is < 6 or > 16) return ("hash_length", "must be between 6 and 16");
        if (s.TtlHashSeconds is < 60 or > 86_400) return ("ttl_hash_seconds", "must be between 60 and 86400");
        if (s.UserTimelimitSeconds is < 30 or > 86_400) return ("user_timelimit_seconds", "must be between 30 and 86400");
        if (s.CountThreshold is < 1 or > 10_000) return ("count_threshold", "must be between 1 and 10000");
        if (s.CountWindowSeconds is < 60 or > 604_800) return ("count_window_seconds", "must be between 60 and 604800");
        if (s.AllowedCountries is not { Count: > 0 } || s.AllowedCountries.Any(c => !MobileNumbers.IsCountryCallingCode(c)))
        {
            return ("allowed_countries", "must list country calling codes such as +91");
        }

        if (!MobileNumbers.IsCountryCallingCode(s.DefaultCountryCode)) return ("default_country_code", "must be a country calling code such as +91");
        if (!IsHttpUrl(s.SyncUrl)) return ("sync_url", "must be an absolute http(s) URL");
        if (!IsHttpUrl(s.RecoveryUrl)) return ("recovery_url", "must be an absolute http(s) URL");
        if (s.Pin.MinLength < 4 || s.Pin.MaxLength > 12 || s.Pin.MinLength > s.Pin.MaxLength)
        {
            return ("pin", "min_length must be at least 4, max_length at most 12, and min_length <= max_length");
        }

        if (s.RateLimits.RegisterPerMobilePerHour < 1 || s.RateLimits.RegisterPerKeyPerMinute < 1 || s.RateLimits.PinSetupPerMobilePerHour < 1)
        {
            return ("rate_limits", "every limit must be at least 1");
        }

        if (s.Delivery.RetryPeriodHours is < 1 or > 720) return ("delivery.retry_period_hours", "must be between 1 and 720");
        int[] ports = [s.MonitoringPorts.Metrics, s.MonitoringPorts.Postgres, s.MonitoringPorts.Pgbouncer, s.MonitoringPorts.Redis];
        if (ports.Any(p => p is < 1024 or > 65535)) return ("monitoring_ports", "ports must be between 1024 and 65535");
        if (ports.Distinct().Count() != ports.Length) return ("monitoring_ports", "ports must be unique");
        return null;
    }

    private static bool IsHttpUrl(string? url) =>
        url is null || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https");
}
