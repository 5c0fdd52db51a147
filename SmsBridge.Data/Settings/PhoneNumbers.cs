using System.Text.RegularExpressions;

namespace SmsBridge.Data.Settings;

/// <summary>E.164 as the contract defines it: '+', then 8-15 digits, no leading 0.</summary>
public static partial class PhoneNumbers
{
    public static bool IsE164(string? value) => value is not null && E164().IsMatch(value);

    /// <summary>The allowed country code this number starts with, if any (longest match wins: +44 before +4).</summary>
    public static string? CountryOf(string mobile, IEnumerable<string> countries) =>
        countries.Where(c => mobile.StartsWith(c, StringComparison.Ordinal)).MaxBy(c => c.Length);

    /// <summary>
    /// A gateway's number ("447700900123", "07700 900123", "+44 7700 900123") in E.164, using the default
    /// country for numbers that carry none; null when it cannot be one.
    /// </summary>
    public static string? Normalise(string? raw, string defaultCountryCode)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var digits = Separators().Replace(raw.Trim(), "");
        string candidate;
        if (digits.StartsWith('+')) candidate = digits;
        else if (digits.StartsWith("00", StringComparison.Ordinal)) candidate = "+" + digits[2..];
        else if (digits.StartsWith('0')) candidate = defaultCountryCode + digits.TrimStart('0');
        else if (digits.Length <= 10) candidate = defaultCountryCode + digits;
        else candidate = "+" + digits;
        return IsE164(candidate) ? candidate : null;
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{7,14}$")]
    private static partial Regex E164();

    [GeneratedRegex(@"[\s\-().]")]
    private static partial Regex Separators();
}
