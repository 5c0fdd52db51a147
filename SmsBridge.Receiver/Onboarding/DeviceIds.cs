using System.Text.RegularExpressions;

namespace SmsBridge.Receiver.Onboarding;

/// <summary>
/// What <c>device_id</c> on <c>/onboarding/register</c> may be: 1 to 128 letters, digits, <c>.</c>, <c>_</c>, <c>:</c> or
/// <c>-</c>. That holds the identifiers backends send (UUIDs, Android IDs, hex or base64url tokens, <c>vendor:serial</c>)
/// and keeps out what would be trouble in logs, audit rows and the admin UI (spaces, quotes, markup, control characters).
/// </summary>
public static partial class DeviceIds
{
    public const int MaxLength = 128;

    public const string Rule = "device_id must be 1 to 128 characters, each a letter, a digit, '.', '_', ':' or '-'.";

    public static bool IsValid(string value) => Pattern().IsMatch(value);

    [GeneratedRegex(@"^[A-Za-z0-9._:\-]{1,128}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
