using System.Globalization;
using System.Text.RegularExpressions;
using PhoneNumbers;

namespace SmsBridge.Data.Mobiles;

/// <summary>
/// Mobile numbers as the contract writes them (E.164: '+', then 8-15 digits, no leading 0), read with libphonenumber.
/// Acceptance is the written form, a country calling code that exists and a length possible there. Whether the number
/// is assigned, or a mobile, is asked only where a setting wants it (<see cref="IsMobile"/>): test and drama ranges
/// such as +44 7700 900xxx are not valid numbers in libphonenumber's metadata, yet are what demos and examples use.
/// </summary>
public static partial class MobileNumbers
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();
    private static readonly HashSet<int> CallingCodes = [.. Util.GetSupportedCallingCodes()];

    /// <summary>libphonenumber's unknown region: a number read in it must carry its own '+' and country code.</summary>
    private const string International = "ZZ";

    public static bool IsE164(string? value) => value is not null && E164().IsMatch(value) && Read(value, International) is not null;

    /// <summary>"+91", "+1": a country calling code that is assigned (as settings write them).</summary>
    public static bool IsCountryCallingCode(string? code) =>
        code is not null && CallingCode().IsMatch(code)
        && CallingCodes.Contains(int.Parse(code.AsSpan(1), CultureInfo.InvariantCulture));

    /// <summary>The allowed country calling code of this E.164 number, if it is among <paramref name="countries"/>.</summary>
    public static string? CountryOf(string mobile, IEnumerable<string> countries) =>
        Read(mobile, International) is { } number && $"+{number.CountryCode}" is var code && countries.Contains(code, StringComparer.Ordinal) ? code : null;

    /// <summary>An assigned mobile number (where a country does not tell mobiles from landlines, either).</summary>
    public static bool IsMobile(string mobile) =>
        Read(mobile, International) is { } number && Util.IsValidNumber(number)
        && Util.GetNumberType(number) is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE;

    /// <summary>
    /// A gateway's number ("447700900123", "07700 900123", "+44 7700 900123", "0044…") in E.164, read as a national
    /// number of the default country when it carries no country code; null when it cannot be one. Without '+' or 00, a
    /// number longer than ten digits is taken as international: gateway apps drop the '+'.
    /// </summary>
    public static string? Normalise(string? raw, string defaultCountryCode)
    {
        if (string.IsNullOrWhiteSpace(raw) || !IsCountryCallingCode(defaultCountryCode)) return null;
        var digits = Separators().Replace(raw.Trim(), "");
        // Digits only: libphonenumber would also read letters (vanity numbers) and numbers inside other text.
        if (!Dialled().IsMatch(digits)) return null;
        var number = digits switch
        {
            ['+', ..] => Read(digits, International),
            ['0', '0', ..] => Read("+" + digits[2..], International),
            _ when digits[0] == '0' || digits.Length <= 10 =>
                Read(digits, Util.GetRegionCodeForCountryCode(int.Parse(defaultCountryCode.AsSpan(1), CultureInfo.InvariantCulture))),
            _ => Read("+" + digits, International),
        };
        var e164 = number is null ? null : Util.Format(number, PhoneNumberFormat.E164);
        return IsE164(e164) ? e164 : null;
    }

    /// <summary>The number libphonenumber reads, in <paramref name="region"/> when it has no '+'; null when it is not a possible one.</summary>
    private static PhoneNumber? Read(string text, string region)
    {
        try
        {
            var number = Util.Parse(text, region);
            return Util.IsPossibleNumber(number) ? number : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{7,14}$")]
    private static partial Regex E164();

    [GeneratedRegex(@"^\+[1-9][0-9]{0,3}$")]
    private static partial Regex CallingCode();

    [GeneratedRegex(@"^\+?[0-9]+$")]
    private static partial Regex Dialled();

    [GeneratedRegex(@"[\s\-().]")]
    private static partial Regex Separators();
}
