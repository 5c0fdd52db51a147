using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using SmsBridge.Data.Settings;
using SmsBridge.Receiver.Inbound;
using static SmsBridge.Receiver.Inbound.SmsPayloads;

namespace SmsBridge.Tests.Receiver;

/// <summary>The gateways' shapes read into one inbound SMS, or refused with the field at fault; no HTTP, no store.</summary>
public sealed class SmsPayloadsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly SmsBridgeSettings Settings = new() { DefaultCountryCode = "+91" };

    private static string? FieldOf(ProblemHttpResult? error)
    {
        Assert.NotNull(error);
        Assert.Equal(400, error.StatusCode);
        return error.ProblemDetails.Extensions.TryGetValue("field", out var field) ? field as string : null;
    }

    [Fact]
    public void A_receive_request_keeps_its_values_and_reads_its_time_as_utc()
    {
        var (sms, error) = FromReceive(new ReceiveRequest("+447700900123", "ONBOARD:AB12CD34", "2026-12-02T13:00:00+01:00", "gw-1"),
            "{raw}", "10.0.0.5", Now);
        Assert.Null(error);
        Assert.Equal("+447700900123", sms!.Mobile);
        Assert.Equal("ONBOARD:AB12CD34", sms.Message);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero), sms.ReceivedAt);
        Assert.Equal("2026-12-02T13:00:00+01:00", sms.ReceivedAtRaw);
        Assert.Equal(("api", "10.0.0.5", "{raw}", Now), (sms.Source, sms.SourceAddress, sms.RawPayload, sms.AcceptedAt));
    }

    public static TheoryData<ReceiveRequest, string> BadReceives => new()
    {
        { new ReceiveRequest("447700900123", "m", "2026-12-02T12:00:00Z", null), "mobile_number" },
        { new ReceiveRequest(null, "m", "2026-12-02T12:00:00Z", null), "mobile_number" },
        { new ReceiveRequest("+0447700900123", "m", "2026-12-02T12:00:00Z", null), "mobile_number" },
        { new ReceiveRequest("+44 7700 900123", "m", "2026-12-02T12:00:00Z", null), "mobile_number" },
        { new ReceiveRequest("+4477009001231234", "m", "2026-12-02T12:00:00Z", null), "mobile_number" },
        { new ReceiveRequest("+447", "m", "2026-12-02T12:00:00Z", null), "mobile_number" },
        { new ReceiveRequest("+447700900123", null, "2026-12-02T12:00:00Z", null), "message" },
        { new ReceiveRequest("+447700900123", "  ", "2026-12-02T12:00:00Z", null), "message" },
        { new ReceiveRequest("+447700900123", new string('x', MaxMessageLength + 1), "2026-12-02T12:00:00Z", null), "message" },
        { new ReceiveRequest("+447700900123", "bell\u0007", "2026-12-02T12:00:00Z", null), "message" },
        { new ReceiveRequest("+447700900123", "m", "2026-12-02T12:00:00Z", new string('s', 65)), "sender" },
        { new ReceiveRequest("+447700900123", "m", "2026-12-02T12:00:00", null), "received_at" },
        { new ReceiveRequest("+447700900123", "m", "yesterday", null), "received_at" },
        { new ReceiveRequest("+447700900123", "m", null, null), "received_at" },
    };

    [Theory]
    [MemberData(nameof(BadReceives))]
    public void A_bad_receive_request_names_its_field(ReceiveRequest request, string field) =>
        Assert.Equal(field, FieldOf(FromReceive(request, "{}", null, Now).Error));

    [Fact]
    public void A_line_break_or_tab_in_a_message_is_text_not_a_control_character() =>
        Assert.Null(FromReceive(new ReceiveRequest("+447700900123", "a\r\n\tb", "2026-12-02T12:00:00Z", null), "{}", null, Now).Error);

    private static byte[] Gateway(string phoneNumber = "9876543210", string receivedAt = "2026-12-02T17:30:00.000+05:30",
        string @event = "sms:received", string messageId = "m-1", string message = "ONBOARD:AB12CD34") =>
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new
        {
            @event,
            id = "w-1",
            deviceId = "phone-7",
            payload = new { messageId, message, phoneNumber, receivedAt },
        });

    [Fact]
    public void A_gateway_webhook_is_read_with_the_default_country_and_keeps_the_number_as_sent()
    {
        var (sms, error) = FromGateway(Gateway(), "10.0.0.9", Settings, Now);
        Assert.Null(error);
        Assert.Equal("+919876543210", sms!.Mobile);
        Assert.Equal("9876543210", sms.MobileRaw);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero), sms.ReceivedAt);
        Assert.Equal("phone-7/m-1", sms.GatewayMessageId);
        Assert.Equal("android-sms-gateway", sms.Source);
    }

    [Theory]
    [InlineData("sms:sent", "9876543210", "m-1", "2026-12-02T17:30:00+05:30", "event")]
    [InlineData("sms:received", "not a number", "m-1", "2026-12-02T17:30:00+05:30", "payload.phoneNumber")]
    [InlineData("sms:received", "9876543210", "", "2026-12-02T17:30:00+05:30", "payload.messageId")]
    [InlineData("sms:received", "9876543210", "m-1", "2026-12-02 17:30", "payload.receivedAt")]
    public void A_bad_gateway_webhook_names_its_field(string @event, string phoneNumber, string messageId, string receivedAt, string field) =>
        Assert.Equal(field, FieldOf(FromGateway(Gateway(phoneNumber, receivedAt, @event, messageId), null, Settings, Now).Error));

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"event":"sms:received"}""")]
    public void A_body_that_is_not_the_gateways_webhook_is_refused(string body) =>
        Assert.NotNull(FromGateway(Encoding.UTF8.GetBytes(body), null, Settings, Now).Error);

    [Theory]
    [InlineData("ONBOARD:ab12cd34", "AB12CD34")]
    [InlineData("  onboard: AB12CD34 \n", "AB12CD34")]
    [InlineData("ONBOARD:AB12CD3", null)]
    [InlineData("Hello ONBOARD:AB12CD34", null)]
    public void The_code_is_read_after_the_prefix_as_phones_send_it(string message, string? code) =>
        Assert.Equal(code, SmsValidationPipeline.ReadCode(message, new SmsBridgeSettings { AllowedPrefix = "ONBOARD:", HashLength = 8 }));
}
