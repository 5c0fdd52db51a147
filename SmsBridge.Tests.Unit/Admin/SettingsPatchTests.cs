using System.Text.Json.Nodes;
using SmsBridge.Admin.Settings;
using SmsBridge.Data.Settings;

namespace SmsBridge.Tests.Admin;

/// <summary>A new settings version as a JSON Merge Patch (RFC 7396) of the active one, and the field named when it is refused.</summary>
public sealed class SettingsPatchTests
{
    private static readonly SmsBridgeSettings Active = new() { CountThreshold = 9, AllowedCountries = ["+91", "+44", "+1"] };

    private static SmsBridgeSettings Applied(string patch)
    {
        var outcome = SettingsPatch.Apply(Active, JsonNode.Parse(patch));
        Assert.Null(outcome.Failure);
        return outcome.Value!;
    }

    [Fact]
    public void Only_the_fields_sent_change_and_arrays_are_replaced_whole()
    {
        var applied = Applied("""{"hash_length": 10, "allowed_countries": ["+44"], "checks": {"count_check": {"enabled": false}}}""");
        Assert.Equal(10, applied.HashLength);
        Assert.Equal(["+44"], applied.AllowedCountries);
        Assert.False(applied.Checks.CountCheck.Enabled);
        Assert.Equal(FailureAction.Reject, applied.Checks.CountCheck.FailureAction);
        Assert.True(applied.Checks.BlacklistCheck.Enabled);
        Assert.Equal(Active.CountThreshold, applied.CountThreshold);
    }

    [Fact]
    public void Null_puts_a_field_back_to_its_default() =>
        Assert.Equal(new SmsBridgeSettings().CountThreshold, Applied("""{"count_threshold": null}""").CountThreshold);

    [Theory]
    [InlineData("""{"hash_length": 3}""", "hash_length")]
    [InlineData("""{"sms_receiving_number": "12345"}""", "sms_receiving_number")]
    [InlineData("""{"allowed_countries": []}""", "allowed_countries")]
    [InlineData("""{"allowed_countries": [null]}""", "allowed_countries")]
    [InlineData("""{"sync_url": "ftp://x"}""", "sync_url")]
    [InlineData("""{"hash_length": "eight"}""", "hash_length")]
    [InlineData("""{"no_such_field": 1}""", "no_such_field")]
    [InlineData("""{"checks": {"count_check": {"failure_action": "explode"}}}""", "checks.count_check.failure_action")]
    [InlineData("""[1]""", "settings")]
    [InlineData("""3""", "settings")]
    public void A_bad_patch_is_a_validation_failure_naming_the_field(string patch, string field)
    {
        var failure = SettingsPatch.Apply(Active, JsonNode.Parse(patch)).Failure;
        Assert.NotNull(failure);
        Assert.Equal("VALIDATION_ERROR", failure.Code);
        Assert.Equal(field, failure.Field);
    }

    [Fact]
    public void The_diff_of_two_documents_is_the_patch_that_turns_one_into_the_other()
    {
        var from = JsonNode.Parse(Active.ToJson())!.AsObject();
        var edited = Active with { HashLength = 12, Checks = Active.Checks with { CountCheck = new CheckSetting { FailureAction = FailureAction.Log } } };
        var diff = SettingsPatch.Diff(from, JsonNode.Parse(edited.ToJson())!.AsObject());
        Assert.Equal("""{"hash_length":12,"checks":{"count_check":{"failure_action":"log"}}}""", diff.ToJsonString());
        Assert.Equal(edited.ToJson(), Applied(diff.ToJsonString()).ToJson());
    }

    [Fact]
    public void The_changed_fields_are_the_top_level_ones_that_differ() =>
        Assert.Equal(["count_threshold", "pin"],
            SettingsPatch.ChangedFields(Active, Active with { CountThreshold = 2, Pin = new PinPolicy { MaxLength = 10 } }));
}
