using SmsBridge.Admin.Settings;
using SmsBridge.Data.Settings;

namespace SmsBridge.Tests.Admin;

/// <summary>Credentials in the settings' URLs (user info, query values) are masked wherever settings are shown.</summary>
public sealed class SettingsMaskingTests
{
    [Theory]
    [InlineData("https://hook:s3cret-pass@backend.example.org/sync?token=abcdef123", "https://********@backend.example.org/sync?token=********")]
    [InlineData("https://backend.example.org/sync?a=1&flag", "https://backend.example.org/sync?a=********&flag")]
    [InlineData("http://backend:8080/sync", "http://backend:8080/sync")]
    [InlineData("not a url", "not a url")]
    public void A_url_keeps_its_host_and_path_and_loses_its_credentials(string url, string shown) =>
        Assert.Equal(shown, SettingsMasking.MaskUrl(url));

    [Fact]
    public void Both_urls_are_masked_and_nothing_else_changes()
    {
        var settings = new SmsBridgeSettings { SyncUrl = "https://u:p4ss@a.example/s", RecoveryUrl = "https://b.example/r?key=k3y", CountThreshold = 7 };
        var masked = SettingsMasking.Masked(settings);
        Assert.DoesNotContain("p4ss", masked.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("k3y", masked.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(7, (int)masked["count_threshold"]!);
        Assert.Null(SettingsMasking.Masked(new SmsBridgeSettings())["sync_url"]);
    }
}
