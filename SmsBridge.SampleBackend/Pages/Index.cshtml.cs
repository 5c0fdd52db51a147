using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmsBridge.SampleBackend.Onboarding;

namespace SmsBridge.SampleBackend.Pages;

/// <summary>Register a mobile, set its PIN once the SMS is in, and see the verified users the webhooks brought.</summary>
public sealed class IndexModel(ReceiverClient receiver, Registrations registrations) : PageModel
{
    /// <summary>How long the PIN form waits for the webhook before showing the page without it.</summary>
    private static readonly TimeSpan WebhookWait = TimeSpan.FromSeconds(5);

    public Registrations Registrations => registrations;

    [BindProperty]
    public string? Mobile { get; set; }

    [BindProperty]
    public string? Pin { get; set; }

    [TempData]
    public string? Message { get; set; }

    /// <summary>A fresh UK drama-range number (+44 7700 900xxx), allowed by the default settings.</summary>
    public string SuggestedMobile { get; } = "+447700900" + RandomNumberGenerator.GetInt32(1000).ToString("D3", CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnPostRegisterAsync(CancellationToken cancellationToken)
    {
        var mobile = Mobile?.Trim() ?? "";
        ReceiverAnswer answer;
        string? traceparent;
        using (var flow = FlowTrace.Start())
        {
            answer = await receiver.RegisterAsync(mobile, cancellationToken);
            traceparent = flow?.Id;
        }

        if (answer.IsSuccess && answer.Field("hash") is { } code && answer.Field("sms_receiving_number") is { } number
            && DateTimeOffset.TryParse(answer.Field("user_deadline"), CultureInfo.InvariantCulture, out var deadline))
        {
            var registration = new Registration(mobile, code, number, deadline, traceparent);
            registrations.Add(registration);
            Message = $"Registered {mobile}: text {registration.SmsText} from it to {number} (or use the gateway simulator).";
        }
        else
        {
            Message = $"Registration refused: {answer}";
        }

        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostPinAsync(CancellationToken cancellationToken)
    {
        if (registrations.Find(Mobile ?? "") is not { } registration)
        {
            Message = "This sample backend has no registration for that mobile (it forgets them when it restarts).";
            return RedirectToPage();
        }

        ReceiverAnswer answer;
        using (FlowTrace.Continue("set PIN", registration.FlowTraceParent))
        {
            answer = await receiver.SetPinAsync(registration.Mobile, Pin ?? "", registration.Code, cancellationToken);
        }

        registration.PinAnswer = answer.ToString();
        Message = $"PIN setup for {registration.Mobile}: {answer}";
        if (answer.IsSuccess)
        {
            try
            {
                await registration.Delivered.Task.WaitAsync(WebhookWait, cancellationToken);
                Message += " The webhook has arrived: see Verified users.";
            }
            catch (TimeoutException)
            {
                Message += " The webhook has not arrived yet; refresh in a moment.";
            }
        }

        return RedirectToPage();
    }
}
