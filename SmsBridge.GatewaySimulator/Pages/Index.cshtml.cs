using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmsBridge.GatewaySimulator.Gateway;

namespace SmsBridge.GatewaySimulator.Pages;

/// <summary>One form: the SMS (filled in from the sample backend's last registration), the shape to post it in, and the answer.</summary>
public sealed class IndexModel(SmsSender sender, LastRegistration lastRegistration, TimeProvider time) : PageModel
{
    /// <summary>The gateway phone's local time zone in the Android shape: India, the default country.</summary>
    private static readonly TimeSpan PhoneOffset = TimeSpan.FromMinutes(330);

    [BindProperty]
    public SmsShape Shape { get; set; } = SmsShape.AndroidSmsGateway;

    [BindProperty]
    public string? Mobile { get; set; }

    [BindProperty]
    public string? Message { get; set; }

    [BindProperty]
    public string? ReceivedAt { get; set; }

    [BindProperty]
    public string? Traceparent { get; set; }

    public string? SmsReceivingNumber { get; private set; }

    public GatewayAnswer? Answer { get; private set; }

    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        ReceivedAt = time.GetUtcNow().ToOffset(PhoneOffset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        if (await lastRegistration.GetAsync(cancellationToken) is { } registration)
        {
            (Mobile, Message, SmsReceivingNumber, Traceparent) =
                (registration.MobileNumber, registration.Message, registration.SmsReceivingNumber, registration.Traceparent);
        }
    }

    public async Task OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Mobile) || Message is null
            || !DateTimeOffset.TryParse(ReceivedAt, CultureInfo.InvariantCulture, DateTimeStyles.None, out var receivedAt))
        {
            Problem = "Fill in the mobile, the message and the received time (ISO 8601 with an offset, e.g. 2026-12-01T14:05:00+05:30).";
            return;
        }

        Answer = await sender.SendAsync(Shape, new SimulatedSms(Mobile.Trim(), Message, receivedAt),
            string.IsNullOrEmpty(Traceparent) ? null : Traceparent, cancellationToken);
    }
}
