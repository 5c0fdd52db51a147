using SmsBridge.Data.Mobiles;
using SmsBridge.Data.Settings;

namespace SmsBridge.Tests.Mobiles;

/// <summary>What the product accepts as a mobile number, on the API and from gateway apps (no processes).</summary>
public sealed class MobileNumbersTests
{
    [Theory]
    [InlineData("+447700900123")] // a drama number: possible, though not assigned
    [InlineData("+447700123456")] // the tests' numbers
    [InlineData("+919876543210")]
    [InlineData("+12025550123")]
    [InlineData("+919000000000")]
    public void Possible_numbers_of_a_real_country_in_the_contracts_form_are_accepted(string mobile) =>
        Assert.True(MobileNumbers.IsE164(mobile));

    [Theory]
    [InlineData(null)]
    [InlineData("447700900123")] // no '+'
    [InlineData("+0447700900123")] // leading 0
    [InlineData("+44 7700 900123")] // separators
    [InlineData("+4477009001231234")] // 16 digits
    [InlineData("+447")]
    [InlineData("+4477009")] // too short for the United Kingdom
    [InlineData("+99912345678")] // no such country calling code
    [InlineData("+1800FLOWERS")]
    public void Anything_else_is_refused(string? mobile) => Assert.False(MobileNumbers.IsE164(mobile));

    [Theory]
    [InlineData("+447700123456", "+44")]
    [InlineData("+919876543210", "+91")]
    [InlineData("+12025550123", null)]
    [InlineData("+4915112345678", null)] // +49 is not +4 followed by anything
    public void The_country_is_the_numbers_calling_code_when_allowed(string mobile, string? country) =>
        Assert.Equal(country, MobileNumbers.CountryOf(mobile, ["+91", "+44", "+4"]));

    [Theory]
    [InlineData("+447400123456", true)] // GB mobile ranges
    [InlineData("+447700123456", true)]
    [InlineData("+919876543210", true)]
    [InlineData("+12015550123", true)] // the US does not tell mobiles from landlines
    [InlineData("+442079460000", false)] // a London landline
    [InlineData("+447700900123", false)] // possible, kept for drama: not assigned
    public void A_mobile_is_an_assigned_mobile_number(string mobile, bool isMobile) =>
        Assert.Equal(isMobile, MobileNumbers.IsMobile(mobile));

    [Theory]
    [InlineData("447700900123", "+91", "+447700900123")] // the app drops '+'
    [InlineData("+44 7700 900123", "+91", "+447700900123")]
    [InlineData("0044 7700 900123", "+91", "+447700900123")]
    [InlineData("09876 543210", "+91", "+919876543210")] // national, with the trunk 0
    [InlineData("9876543210", "+91", "+919876543210")]
    [InlineData("07700 900123", "+44", "+447700900123")]
    [InlineData("(020) 7946-0000", "+44", "+442079460000")]
    public void Gateway_numbers_are_normalised_to_e164(string raw, string defaultCountry, string expected) =>
        Assert.Equal(expected, MobileNumbers.Normalise(raw, defaultCountry));

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("'; DROP TABLE sms_inbox; --")]
    [InlineData("1-800-FLOWERS")]
    [InlineData("+447700900123;ext=5")]
    [InlineData("12")]
    [InlineData("99912345678901")]
    public void What_cannot_be_a_number_is_not_normalised(string raw) => Assert.Null(MobileNumbers.Normalise(raw, "+91"));

    [Theory]
    [InlineData("+91", true)]
    [InlineData("+1", true)]
    [InlineData("+44", true)]
    [InlineData("+4", false)]
    [InlineData("+999", false)]
    [InlineData("44", false)]
    [InlineData("+044", false)]
    public void Settings_accept_only_assigned_country_calling_codes(string code, bool accepted)
    {
        Assert.Equal(accepted, MobileNumbers.IsCountryCallingCode(code));
        var fault = SettingsValidator.Validate(new SmsBridgeSettings { AllowedCountries = ["+91", code] });
        Assert.Equal(accepted ? null : "allowed_countries", fault?.Field);
    }
}
