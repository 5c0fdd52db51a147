using SmsBridge.Data.Settings;

namespace SmsBridge.Tests.Receiver;

/// <summary>Gateway numbers in the forms phones report them, read into E.164 with the default country for those without one.</summary>
public sealed class PhoneNumbersTests
{
    [Theory]
    [InlineData("+447700900123", "+91", "+447700900123")]
    [InlineData("+44 (7700) 900-123", "+91", "+447700900123")]
    [InlineData("0044 7700 900123", "+91", "+447700900123")]
    [InlineData("447700900123", "+91", "+447700900123")]
    [InlineData("07700 900123", "+44", "+447700900123")]
    [InlineData("9876543210", "+91", "+919876543210")]
    [InlineData("12", "+91", null)]
    [InlineData("+0123456789", "+91", null)]
    [InlineData("not a number", "+91", null)]
    [InlineData("  ", "+91", null)]
    [InlineData(null, "+91", null)]
    public void A_gateway_number_reads_as_e164_or_not_at_all(string? raw, string defaultCountry, string? mobile) =>
        Assert.Equal(mobile, PhoneNumbers.Normalise(raw, defaultCountry));

    [Fact]
    public void The_longest_allowed_country_code_wins()
    {
        Assert.Equal("+44", PhoneNumbers.CountryOf("+447700900123", ["+4", "+44", "+1"]));
        Assert.Null(PhoneNumbers.CountryOf("+337700900123", ["+44", "+1"]));
    }
}
