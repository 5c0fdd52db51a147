using Microsoft.Extensions.Time.Testing;
using SmsBridge.Data.Inbox;
using SmsBridge.Data.Settings;
using SmsBridge.Receiver.Inbound;
using static SmsBridge.Tests.Receiver.FakeCodeValidation;

namespace SmsBridge.Tests.Receiver;

/// <summary>
/// The contract's validation pipeline with the code store and the blacklist faked: header_hash_check, mobile_match_check,
/// foreign_number_check, count_check and blacklist_check in that order, each enabled or "skipped", each failing with
/// "failed" (reject: it names the outcome and later checks are not recorded) or "failed_logged" (log: the message goes on and
/// verifies while its code is live); and what the pipeline asks the store to consume. The store's script is tested against
/// real Redis in the integration tests.
/// </summary>
public sealed class SmsValidationPipelineTests
{
    private const string Sender = "+447700900123";
    private const string SomeoneElse = "+447700900456";
    private const string Code = "AB12CD34";
    private const string Sms = "ONBOARD:" + Code;

    private static readonly string[] Order = ["header_hash_check", "mobile_match_check", "foreign_number_check", "count_check", "blacklist_check"];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeCodeValidation _codes = new(ConsumedNow(Sender));
    private readonly Guid _messageId = Guid.NewGuid();
    private FixedBlacklist _blacklist = new();
    private string _sender = Sender;
    private long _receivedInWindow = 1;

    /// <summary>The contract's defaults: prefix ONBOARD:, 8 characters, +91 and +44 allowed, at most 5 SMS in the window.</summary>
    private SmsBridgeSettings _settings = new();

    private Task<ValidationOutcome> ValidateAsync(string message = Sms)
    {
        var now = _time.GetUtcNow();
        var sms = new InboundSms(_messageId, "api", "10.0.0.7", _sender, _sender, message, "{}", null, now, now.ToString("O"), null, now);
        return new SmsValidationPipeline(_codes, _blacklist, _time).ValidateAsync(sms, _settings, _receivedInWindow);
    }

    /// <summary>Makes the one check fail; the code stays live (as the store answers when it may not consume it).</summary>
    private void Fail(string check)
    {
        _codes.Answer = Live(Sender);
        switch (check)
        {
            case "header_hash_check": _codes.Answer = Gone; break;
            case "mobile_match_check": _codes.Answer = Live(SomeoneElse); break;
            case "foreign_number_check": _sender = "+12025550123"; _codes.Answer = Live(_sender); break;
            case "count_check": _receivedInWindow = _settings.CountThreshold + 1; break;
            case "blacklist_check": _blacklist = new FixedBlacklist(Sender); break;
            default: throw new ArgumentOutOfRangeException(nameof(check), check, null);
        }
    }

    private void Set(string check, bool enabled = true, FailureAction action = FailureAction.Reject)
    {
        var setting = new CheckSetting { Enabled = enabled, FailureAction = action };
        var checks = _settings.Checks;
        _settings = _settings with
        {
            Checks = check switch
            {
                "header_hash_check" => checks with { HeaderHashCheck = setting },
                "mobile_match_check" => checks with { MobileMatchCheck = setting },
                "foreign_number_check" => checks with { ForeignNumberCheck = setting },
                "count_check" => checks with { CountCheck = setting },
                "blacklist_check" => checks with { BlacklistCheck = setting },
                _ => throw new ArgumentOutOfRangeException(nameof(check), check, null),
            },
        };
    }

    private static Dictionary<string, string> Results(params (string Check, string Result)[] results) =>
        results.ToDictionary(r => r.Check, r => r.Result);

    private static Dictionary<string, string> AllPassedBut(string check, string result) =>
        Order.ToDictionary(c => c, c => c == check ? result : "passed");

    private CodeValidationCall OnlyCall() => Assert.Single(_codes.Calls);

    [Fact]
    public async Task A_message_passing_every_check_has_its_code_consumed_and_is_verified()
    {
        var outcome = await ValidateAsync();

        Assert.Equal("verified", outcome.Outcome);
        Assert.Null(outcome.FailedCheck);
        Assert.Equal(Order.ToDictionary(c => c, _ => "passed"), outcome.Checks);
        var call = OnlyCall();
        Assert.Equal((Code, _messageId, Sender, true, true), (call.Code, call.MessageId, call.Sender, call.SenderMustOwnCode, call.OthersPassed));
    }

    [Fact]
    public async Task The_verified_mark_lives_user_timelimit_seconds_from_the_clocks_now()
    {
        _settings = _settings with { UserTimelimitSeconds = 120 };
        _time.Advance(TimeSpan.FromMinutes(3));

        await ValidateAsync();

        Assert.Equal(TimeSpan.FromSeconds(120), OnlyCall().VerifiedTtl);
        Assert.Equal(_time.GetUtcNow(), OnlyCall().Now);
    }

    [Theory]
    [InlineData("HELLO:AB12CD34")]
    [InlineData("AB12CD34")]
    [InlineData("Hi ONBOARD:AB12CD34")]
    [InlineData("ONBOARD:AB12CD3")]
    [InlineData("ONBOARD:AB12CD345")]
    [InlineData("ONBOARD:AB12CDU4")]
    [InlineData("ONBOARD:")]
    public async Task Without_the_prefix_and_a_code_of_hash_length_header_hash_check_rejects_without_asking_the_store(string message)
    {
        var outcome = await ValidateAsync(message);

        Assert.Equal("rejected:header_hash_check", outcome.Outcome);
        Assert.Equal("header_hash_check", outcome.FailedCheck);
        Assert.Equal(Results(("header_hash_check", "failed")), outcome.Checks);
        Assert.Empty(_codes.Calls);
    }

    [Theory]
    [InlineData("onboard:ab12cd34")]
    [InlineData("  ONBOARD: AB12CD34 \n")]
    [InlineData("\tOnBoard:ab12CD34  ")]
    public async Task Phones_case_and_padding_do_not_matter_the_store_is_asked_for_the_canonical_code(string message)
    {
        Assert.Equal("verified", (await ValidateAsync(message)).Outcome);
        Assert.Equal(Code, OnlyCall().Code);
    }

    [Fact]
    public async Task The_prefix_and_length_are_read_from_the_settings()
    {
        _settings = _settings with { AllowedPrefix = "VERIFY-", HashLength = 6 };

        Assert.Equal("rejected:header_hash_check", (await ValidateAsync(Sms)).Outcome);
        Assert.Equal("verified", (await ValidateAsync("VERIFY-AB12CD")).Outcome);
        Assert.Equal("AB12CD", OnlyCall().Code);
    }

    [Fact]
    public async Task A_code_that_is_not_live_is_rejected_by_header_hash_check()
    {
        _codes.Answer = Gone;

        var outcome = await ValidateAsync();

        Assert.Equal("rejected:header_hash_check", outcome.Outcome);
        Assert.Equal(Results(("header_hash_check", "failed")), outcome.Checks);
    }

    [Theory]
    [InlineData("header_hash_check")]
    [InlineData("mobile_match_check")]
    [InlineData("foreign_number_check")]
    [InlineData("count_check")]
    [InlineData("blacklist_check")]
    public async Task A_failing_check_set_to_reject_names_the_outcome_and_later_checks_are_not_recorded(string check)
    {
        Fail(check);

        var outcome = await ValidateAsync();

        Assert.Equal("rejected:" + check, outcome.Outcome);
        Assert.Equal(check, outcome.FailedCheck);
        var earlier = Order.TakeWhile(c => c != check).Select(c => (c, "passed"));
        Assert.Equal(Results([.. earlier, (check, "failed")]), outcome.Checks);
    }

    [Theory]
    [InlineData("foreign_number_check")]
    [InlineData("count_check")]
    [InlineData("blacklist_check")]
    public async Task A_failing_check_without_the_code_tells_the_store_not_to_consume_it(string check)
    {
        Fail(check);

        await ValidateAsync();

        Assert.False(OnlyCall().OthersPassed);
        Assert.True(OnlyCall().SenderMustOwnCode);
    }

    [Fact]
    public async Task Mobile_match_set_to_reject_tells_the_store_to_consume_only_the_senders_own_code()
    {
        Fail("mobile_match_check");

        await ValidateAsync();

        Assert.True(OnlyCall().SenderMustOwnCode);
        Assert.True(OnlyCall().OthersPassed);
    }

    [Theory]
    [InlineData("mobile_match_check", true, "failed_logged")]
    [InlineData("foreign_number_check", true, "failed_logged")]
    [InlineData("count_check", true, "failed_logged")]
    [InlineData("blacklist_check", true, "failed_logged")]
    [InlineData("mobile_match_check", false, "skipped")]
    [InlineData("foreign_number_check", false, "skipped")]
    [InlineData("count_check", false, "skipped")]
    [InlineData("blacklist_check", false, "skipped")]
    public async Task A_failing_check_set_to_log_or_disabled_lets_the_message_verify_while_its_code_is_live(
        string check, bool enabled, string result)
    {
        Fail(check);
        Set(check, enabled, enabled ? FailureAction.Log : FailureAction.Reject); // disabled wins over reject
        _codes.Answer = ConsumedNow(_codes.Answer.CodeMobile!);

        var outcome = await ValidateAsync();

        Assert.Equal("verified", outcome.Outcome);
        Assert.Equal(AllPassedBut(check, result), outcome.Checks);
        Assert.True(OnlyCall().OthersPassed);
        Assert.Equal(check != "mobile_match_check", OnlyCall().SenderMustOwnCode);
    }

    [Fact]
    public async Task Header_hash_check_set_to_log_lets_the_message_on_but_nothing_verifies_without_a_live_code()
    {
        Set("header_hash_check", action: FailureAction.Log);
        Set("mobile_match_check", action: FailureAction.Log);
        _codes.Answer = Gone;

        var outcome = await ValidateAsync();

        Assert.Equal("rejected:header_hash_check", outcome.Outcome);
        Assert.Equal(Results(("header_hash_check", "failed_logged"), ("mobile_match_check", "failed_logged"), ("foreign_number_check", "passed"),
            ("count_check", "passed"), ("blacklist_check", "passed")), outcome.Checks);
    }

    [Fact]
    public async Task Header_hash_check_set_to_log_goes_on_to_mobile_match_check_which_no_code_passes()
    {
        Set("header_hash_check", action: FailureAction.Log);

        var outcome = await ValidateAsync("HELLO");

        Assert.Equal("rejected:mobile_match_check", outcome.Outcome);
        Assert.Equal(Results(("header_hash_check", "failed_logged"), ("mobile_match_check", "failed")), outcome.Checks);
        Assert.Empty(_codes.Calls);
    }

    [Fact]
    public async Task A_disabled_header_hash_check_is_skipped_and_a_live_code_still_verifies()
    {
        Set("header_hash_check", enabled: false);

        var outcome = await ValidateAsync();

        Assert.Equal("verified", outcome.Outcome);
        Assert.Equal(AllPassedBut("header_hash_check", "skipped"), outcome.Checks);
    }

    [Fact]
    public async Task With_every_check_disabled_a_message_without_a_code_is_still_not_verified()
    {
        foreach (var check in Order) Set(check, enabled: false);

        var outcome = await ValidateAsync("hello");

        Assert.Equal("rejected:header_hash_check", outcome.Outcome);
        Assert.Equal(Order.ToDictionary(c => c, _ => "skipped"), outcome.Checks);
        Assert.Empty(_codes.Calls);
    }

    [Theory]
    [InlineData(5, "passed")]
    [InlineData(6, "failed")]
    public async Task Count_check_allows_up_to_count_threshold_sms_in_the_window_including_this_one(long received, string result)
    {
        _settings = _settings with { CountThreshold = 5 };
        _receivedInWindow = received;
        _codes.Answer = Live(Sender);

        var outcome = await ValidateAsync();

        Assert.Equal(result, outcome.Checks["count_check"]);
    }

    [Theory]
    [InlineData("+447700900123", "+44", "passed")]
    [InlineData("+919876543210", "+91", "passed")]
    [InlineData("+919876543210", "+44", "failed")]
    [InlineData("+12025550123", "+44", "failed")]
    public async Task Foreign_number_check_passes_the_countries_in_allowed_countries(string mobile, string allowed, string result)
    {
        _sender = mobile;
        _settings = _settings with { AllowedCountries = [allowed] };
        _codes.Answer = Live(mobile);

        Assert.Equal(result, (await ValidateAsync()).Checks["foreign_number_check"]);
    }

    [Theory]
    [InlineData(0, "mobile_match_check")]
    [InlineData(1, "foreign_number_check")]
    [InlineData(2, "count_check")]
    [InlineData(3, "blacklist_check")]
    public async Task When_several_checks_fail_the_first_rejecting_one_in_the_contracts_order_names_the_outcome(int logged, string expected)
    {
        // Someone else's code, from a foreign, blacklisted number that sent too many; the first checks are set to log.
        _sender = "+12025550123";
        _blacklist = new FixedBlacklist(_sender);
        _receivedInWindow = 99;
        _codes.Answer = Live(SomeoneElse);
        foreach (var check in Order.Skip(1).Take(logged)) Set(check, action: FailureAction.Log);

        var outcome = await ValidateAsync();

        Assert.Equal("rejected:" + expected, outcome.Outcome);
        // Every logged failure is recorded, then the rejecting check; none after it. A later check rejects, so the store was
        // told not to consume the code.
        var recorded = Order.Skip(1).Take(logged + 1).Select(c => (c, c == expected ? "failed" : "failed_logged"));
        Assert.Equal(Results([("header_hash_check", "passed"), .. recorded]), outcome.Checks);
        Assert.False(OnlyCall().OthersPassed);
    }

    [Fact]
    public async Task A_message_that_consumed_its_code_before_a_crash_is_verified_whatever_the_checks_say_now()
    {
        _blacklist = new FixedBlacklist(Sender);
        _receivedInWindow = 99;
        _codes.Answer = ConsumedBefore;

        var outcome = await ValidateAsync();

        Assert.Equal("verified", outcome.Outcome);
        Assert.Empty(outcome.Checks);
        Assert.Equal(_messageId, OnlyCall().MessageId);
    }
}
