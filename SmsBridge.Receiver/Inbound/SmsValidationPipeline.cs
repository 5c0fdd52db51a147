using System.Text.Json;
using SmsBridge.Data.Blacklist;
using SmsBridge.Data.Inbox;
using SmsBridge.Data.Mobiles;
using SmsBridge.Data.Settings;
using SmsBridge.Receiver.Verification;

namespace SmsBridge.Receiver.Inbound;

/// <summary>
/// The contract's checks, in order, each with its own enabled / failure_action; on pass the code is consumed and the sender
/// marked verified in one atomic step. The checks that need no cache are judged first, so one Redis script both reads the code
/// and, when everything lets it through, consumes it; the results are then recorded in the contract's order, as if each check
/// had run in turn. Redis errors propagate: the message then stays pending and is validated again later.
/// </summary>
public sealed class SmsValidationPipeline(ICodeValidation codes, IBlacklist blacklist, TimeProvider time)
{
    public const string HeaderHashCheck = "header_hash_check";
    public const string MobileMatchCheck = "mobile_match_check";
    public const string ForeignNumberCheck = "foreign_number_check";
    public const string CountCheck = "count_check";
    public const string BlacklistCheck = "blacklist_check";

    /// <summary>
    /// Validates one SMS; <paramref name="receivedInWindow"/> is the count of SMS from its mobile in the count window as of
    /// this one (<see cref="Inbox.CountReceivedAsync"/>), needed only when the count check is on.
    /// </summary>
    public async Task<ValidationOutcome> ValidateAsync(InboundSms sms, SmsBridgeSettings settings, long receivedInWindow)
    {
        var results = new Dictionary<string, string>();
        var checks = settings.Checks;
        var foreignPassed = MobileNumbers.CountryOf(sms.Mobile, settings.AllowedCountries) is not null;
        var countPassed = receivedInWindow <= settings.CountThreshold;
        var blacklistPassed = !blacklist.Contains(sms.Mobile);
        var othersPassed = !Rejects(checks.ForeignNumberCheck, foreignPassed) && !Rejects(checks.CountCheck, countPassed)
                           && !Rejects(checks.BlacklistCheck, blacklistPassed);

        var code = ReadCode(sms.Message, settings);
        var found = code is null
            ? new CodeCheck(null, false, false)
            : await codes.ValidateAsync(code, sms.Id, sms.Mobile, Rejects(checks.MobileMatchCheck, passed: false), othersPassed,
                TimeSpan.FromSeconds(settings.UserTimelimitSeconds), time.GetUtcNow());
        // Verified before a crash stopped us from recording it: the consumption is the truth.
        if (found.ConsumedByThisMessage) return ValidationOutcome.Verified(results);

        if (Judge(HeaderHashCheck, found.CodeMobile is not null, checks.HeaderHashCheck, results)) return Rejected(HeaderHashCheck, results);
        if (Judge(MobileMatchCheck, found.CodeMobile == sms.Mobile, checks.MobileMatchCheck, results)) return Rejected(MobileMatchCheck, results);
        if (Judge(ForeignNumberCheck, foreignPassed, checks.ForeignNumberCheck, results)) return Rejected(ForeignNumberCheck, results);
        if (Judge(CountCheck, countPassed, checks.CountCheck, results)) return Rejected(CountCheck, results);
        if (Judge(BlacklistCheck, blacklistPassed, checks.BlacklistCheck, results)) return Rejected(BlacklistCheck, results);

        // A check set to "log" lets a message through, but nothing can be verified without a live code.
        return found.Consumed ? ValidationOutcome.Verified(results) : Rejected(HeaderHashCheck, results);
    }

    /// <summary>The code after the prefix, read as phones send it: trimmed, any case.</summary>
    public static string? ReadCode(string message, SmsBridgeSettings settings)
    {
        var text = message.Trim();
        if (!text.StartsWith(settings.AllowedPrefix, StringComparison.OrdinalIgnoreCase)) return null;
        return VerificationCodes.Normalise(text[settings.AllowedPrefix.Length..].Trim(), settings.HashLength);
    }

    private static bool Rejects(CheckSetting setting, bool passed) => setting.Enabled && !passed && setting.FailureAction == FailureAction.Reject;

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
