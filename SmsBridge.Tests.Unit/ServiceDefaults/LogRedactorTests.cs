using SmsBridge.ServiceDefaults.Logging;

namespace SmsBridge.Tests.ServiceDefaults;

/// <summary>The last line of defence in log output: configured secrets and phone numbers never reach a log line whole.</summary>
public sealed class LogRedactorTests
{
    private readonly LogRedactor _redactor = new(["backend-api-key-123", "short", "backend-api-key"]);

    [Fact]
    public void A_configured_secret_is_replaced_the_longest_first_and_one_too_short_to_be_a_secret_is_left()
    {
        Assert.Equal("key=*** then ***", _redactor.Redact("key=backend-api-key-123 then backend-api-key"));
        Assert.Equal("a short note", _redactor.Redact("a short note"));
    }

    [Theory]
    [InlineData("from +447700900123 ok", "from +********0123 ok")]
    [InlineData("gateway 919876543210,", "gateway ********3210,")]
    [InlineData("order 1234567890123456789 stays", "order 1234567890123456789 stays")]
    [InlineData("id abc12345678 stays", "id abc12345678 stays")]
    [InlineData("port 5432 stays", "port 5432 stays")]
    public void A_phone_number_keeps_only_its_last_four_digits(string line, string logged) =>
        Assert.Equal(logged, _redactor.Redact(line));

    [Theory]
    [InlineData(null, "")]
    [InlineData("123", "123")]
    [InlineData("+447700900123", "+********0123")]
    public void A_mobile_is_masked_to_its_last_four(string? mobile, string masked) =>
        Assert.Equal(masked, LogRedactor.MaskMobile(mobile));
}
