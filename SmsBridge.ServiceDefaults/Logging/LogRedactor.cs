using System.Text.RegularExpressions;

namespace SmsBridge.ServiceDefaults.Logging;

/// <summary>
/// Last line of defence for log output: masks phone numbers to their last 4 digits and replaces any
/// configured secret value. Code still must not log secrets or PINs; this catches what slips through.
/// </summary>
public sealed partial class LogRedactor(IEnumerable<string> secrets)
{
    private readonly string[] _secrets = secrets.Where(s => s.Length >= 6).Distinct().OrderByDescending(s => s.Length).ToArray();

    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        foreach (var secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal)) text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return PhoneNumber().Replace(text, m => MaskMobile(m.Value));
    }

    /// <summary>"+447700900123" -> "+*********0123": enough to correlate, not enough to identify.</summary>
    public static string MaskMobile(string? mobile)
    {
        if (string.IsNullOrEmpty(mobile)) return "";
        var keep = Math.Min(4, mobile.Length);
        var prefix = mobile.StartsWith('+') ? "+" : "";
        return prefix + new string('*', Math.Max(0, mobile.Length - keep - prefix.Length)) + mobile[^keep..];
    }

    // 8-15 digits, optionally after '+', not part of a longer word or number (E.164 and its gateway form).
    [GeneratedRegex(@"(?<![\w+])\+?\d{8,15}(?!\w)")]
    private static partial Regex PhoneNumber();
}
