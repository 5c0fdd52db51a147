using System.Text.Json;
using SmsBridge.Data.Blacklist;
using SmsBridge.Data.Mobiles;
using SmsBridge.Data.Settings;
using SmsBridge.Receiver.Onboarding;

namespace SmsBridge.Receiver.Inbound;

/// <summary>
/// The contract's checks, in order, each with its own enabled / failure_action; on pass the code is consumed
/// and the sender marked verified in one atomic step. Redis or PostgreSQL errors propagate: the message then
/// stays pending and is validated again later.
/// </summary>
public sealed class SmsValidationPipeline(CodeStore codes, Inbox inbox, BlacklistCache blacklist, TimeProvider time)
{
    public const string HeaderHashCheck = "header_hash_check";
    public const string MobileMatchCheck = "mobile_match_check";
    public const string ForeignNumberCheck = "foreign_number_check";
    public const string CountCheck = "count_check";
    public const string BlacklistCheck = "blacklist_check";

    public async Task<ValidationOutcome> ValidateAsync(InboundSms sms, SmsBridgeSettings settings, CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, string>();
        var checks = settings.Checks;

        var code = ReadCode(sms.Message, settings);
        string? codeMobile = null;
        if (code is not null)
        {
            (codeMobile, var consumedByThis) = await codes.InspectAsync(code, sms.Id);
            // Verified before a crash stopped us from recording it: the consumption is the truth.
            if (consumedByThis) return ValidationOutcome.Verified(results);
        }

        if (Judge(HeaderHashCheck, codeMobile is not null, checks.HeaderHashCheck, results)) return Rejected(HeaderHashCheck, results);
        if (Judge(MobileMatchCheck, codeMobile == sms.Mobile, checks.MobileMatchCheck, results)) return Rejected(MobileMatchCheck, results);
        if (Judge(ForeignNumberCheck, MobileNumbers.CountryOf(sms.Mobile, settings.AllowedCountries) is not null, checks.ForeignNumberCheck,
                results))
        {
            return Rejected(ForeignNumberCheck, results);
        }

        if (checks.CountCheck.Enabled)
        {
            var count = await inbox.CountReceivedAsync(sms.Mobile, sms.ReceivedAt.AddSeconds(-settings.CountWindowSeconds), sms.ReceivedAt,
                cancellationToken);
            if (Judge(CountCheck, count <= settings.CountThreshold, checks.CountCheck, results)) return Rejected(CountCheck, results);
        }
        else
        {
            results[CountCheck] = "skipped";
        }

        if (Judge(BlacklistCheck, !blacklist.Contains(sms.Mobile), checks.BlacklistCheck, results)) return Rejected(BlacklistCheck, results);

        // A check set to "log" lets a message through, but nothing can be verified without a live code.
        if (code is null || codeMobile is null) return Rejected(HeaderHashCheck, results);
        var verified = await codes.ConsumeAsync(code, codeMobile, sms.Mobile, sms.Id, TimeSpan.FromSeconds(settings.UserTimelimitSeconds),
            time.GetUtcNow());
        return verified ? ValidationOutcome.Verified(results) : Rejected(HeaderHashCheck, results);
    }

    /// <summary>The code after the prefix, read as phones send it: trimmed, any case.</summary>
    public static string? ReadCode(string message, SmsBridgeSettings settings)
    {
        var text = message.Trim();
        if (!text.StartsWith(settings.AllowedPrefix, StringComparison.OrdinalIgnoreCase)) return null;
        return VerificationCodes.Normalise(text[settings.AllowedPrefix.Length..].Trim(), settings.HashLength);
    }

    /// <summary>Records the check's result; true when the message must be rejected here.</summary>
    private static bool Judge(string name, bool passed, CheckSetting setting, Dictionary<string, string> results)
    {
        if (!setting.Enabled)
        {
            results[name] = "skipped";
            return false;
        }

        results[name] = passed ? "passed" : setting.FailureAction == FailureAction.Log ? "failed_logged" : "failed";
        return !passed && setting.FailureAction == FailureAction.Reject;
    }

    private static ValidationOutcome Rejected(string check, Dictionary<string, string> results) => new($"rejected:{check}", check, results);
}

public sealed record ValidationOutcome(string Outcome, string? FailedCheck, IReadOnlyDictionary<string, string> Checks)
{
    public static ValidationOutcome Verified(IReadOnlyDictionary<string, string> checks) => new("verified", null, checks);

    public string ChecksJson => JsonSerializer.Serialize(Checks);
}
