using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using SmsBridge.Data.Audit;
using SmsBridge.Data.Mobiles;
using SmsBridge.Data.Outbox;
using SmsBridge.Data.Settings;
using SmsBridge.Receiver.Security;
using SmsBridge.Receiver.Verification;
using SmsBridge.ServiceDefaults.Logging;
using SmsBridge.ServiceDefaults.Web;

namespace SmsBridge.Receiver.Onboarding;

/// <summary>The backend's side of verification: ask for a code, then hand over the PIN once the SMS arrived.</summary>
public static class OnboardingApi
{
    public static IEndpointRouteBuilder MapOnboardingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Onboarding")
            .AddEndpointFilter<BackendKeyFilter>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapPost("/onboarding/register", RegisterAsync)
            .WithName("Register").WithSummary("Issue (or return the live) verification code for a mobile number.")
            .Accepts<RegisterRequest>("application/json") // read by JsonBody, declared for the OpenAPI document
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/pin-setup", PinSetupAsync)
            .WithName("PinSetup").WithSummary("Accept the user's PIN for a verified mobile and queue the hand-off to the backend.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Ok<RegisterResponse>, ProblemHttpResult>> RegisterAsync(HttpRequest request,
        [AsParameters] OnboardingServices services)
    {
        var (body, error) = await JsonBody.ReadAsync<RegisterRequest>(request);
        if (error is not null) return error;
        if (!MobileNumbers.IsE164(body!.MobileNumber)) return InvalidMobile();
        if (body.Email is { } email && (email.Length > 254 || !email.Contains('@', StringComparison.Ordinal) || HasControl(email)))
        {
            return Problem.Validation("email must be an e-mail address.", "email");
        }

        if (body.DeviceId is { } device && !DeviceIds.IsValid(device)) return Problem.Validation(DeviceIds.Rule, "device_id");

        var mobile = body.MobileNumber!;
        var settings = services.Settings.Current;
        if (MobileNumbers.CountryOf(mobile, settings.AllowedCountries) is null)
        {
            services.Metrics.Registered("country_not_allowed");
            return Problem.Of(StatusCodes.Status403Forbidden, ErrorCodes.CountryNotAllowed, "This country calling code is not allowed.");
        }

        if (settings.RefuseNonMobileNumbers && !MobileNumbers.IsMobile(mobile))
        {
            services.Metrics.Registered("not_mobile");
            return Problem.Validation("mobile_number must be an assigned mobile number (refuse_non_mobile_numbers is on).", "mobile_number");
        }

        var cancel = request.HttpContext.RequestAborted;
        if (await services.Store.IsOnboardedAsync(mobile, cancel))
        {
            services.Metrics.Registered("duplicate");
            return Problem.Of(StatusCodes.Status409Conflict, ErrorCodes.DuplicateMobile, "This mobile number is already onboarded.");
        }

        var limits = settings.RateLimits;
        var issue = await services.Codes.IssueAsync(mobile, settings.HashLength, TimeSpan.FromSeconds(settings.TtlHashSeconds), services.Time.GetUtcNow(),
        [
            services.RateWindows.Window("register-mobile", mobile, limits.RegisterPerMobilePerHour, TimeSpan.FromHours(1)),
            services.RateWindows.Window("register-key", "backend", limits.RegisterPerKeyPerMinute, TimeSpan.FromMinutes(1)),
        ]);
        if (issue.Limited is { } window)
        {
            services.Metrics.Registered("rate_limited");
            return Problem.Of(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, "Too many registrations; retry later.", window.RetryAfter);
        }

        if (issue.Code is not { } issued)
        {
            // Every candidate collided: the code space is nearly full, a configuration problem (hash_length) and not the caller's.
            services.Logger.LogError("No unique code could be issued; increase hash_length");
            services.Metrics.Registered("exhausted");
            return Problem.Unavailable("No verification code could be issued; retry later.", DependencyOutage.RetryAfter);
        }

        services.Metrics.Registered("issued");
        await services.Audit.RecordAsync(new AuditEvent(services.Time.GetUtcNow(), "onboarding.registered", "backend",
            request.HttpContext.Connection.RemoteIpAddress?.ToString(), LogRedactor.MaskMobile(mobile)), cancel);
        return TypedResults.Ok(new RegisterResponse("success", settings.SmsReceivingNumber, issued.Code, issued.GeneratedAt.UtcDateTime,
            issued.GeneratedAt.AddSeconds(settings.UserTimelimitSeconds).UtcDateTime, settings.UserTimelimitSeconds));
    }

    public static async Task<Results<Ok<PinSetupResponse>, ProblemHttpResult>> PinSetupAsync(HttpRequest request,
        [AsParameters] OnboardingServices services)
    {
        var (body, error) = await JsonBody.ReadAsync<PinSetupRequest>(request);
        if (error is not null) return error;
        if (!MobileNumbers.IsE164(body!.MobileNumber)) return InvalidMobile();
        var settings = services.Settings.Current;
        var pin = body.Pin;
        if (pin is null || pin.Length < settings.Pin.MinLength || pin.Length > settings.Pin.MaxLength || !pin.All(char.IsAsciiDigit))
        {
            return Problem.Validation($"pin must be {settings.Pin.MinLength}-{settings.Pin.MaxLength} digits.", "pin");
        }

        var hash = body.Hash is null ? null : VerificationCodes.Normalise(body.Hash, settings.HashLength);
        if (hash is null) return Problem.Validation($"hash must be the {settings.HashLength}-character code that was issued.", "hash");

        var mobile = body.MobileNumber!;
        var cancel = request.HttpContext.RequestAborted;
        var (mark, limited) = await services.Codes.GetVerifiedAsync(mobile,
            [services.RateWindows.Window("pin-setup", mobile, settings.RateLimits.PinSetupPerMobilePerHour, TimeSpan.FromHours(1))]);
        if (limited is not null)
        {
            return Problem.Of(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, "Too many PIN setup attempts; retry later.", limited.RetryAfter);
        }

        if (mark is null)
        {
            // The mark is cleared once a PIN setup commits: without one, a completed mobile is told so rather than "not verified".
            if (await services.Store.IsOnboardedAsync(mobile, cancel)) return AlreadyCompleted(services);
            services.Metrics.PinSetup("not_verified");
            return Problem.Of(StatusCodes.Status403Forbidden, ErrorCodes.NotVerified, "This mobile has no live verification; send the SMS first.");
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(mark.Code), Encoding.ASCII.GetBytes(hash)))
        {
            services.Metrics.PinSetup("hash_mismatch");
            return Problem.Of(StatusCodes.Status403Forbidden, ErrorCodes.HashMismatch, "The hash does not match the verified code.");
        }

        var (pinHash, salt) = services.Pins.Hash(pin);
        var now = services.Time.GetUtcNow();
        var handOff = new HandOff(Guid.CreateVersion7(now), mobile, hash, services.Pins.Encrypt(pin), pinHash, salt, mark.VerifiedAt,
            now.AddHours(settings.Delivery.RetryPeriodHours));
        var audited = new AuditEvent(now, "onboarding.pin_setup", "backend", request.HttpContext.Connection.RemoteIpAddress?.ToString(),
            LogRedactor.MaskMobile(mobile), new Dictionary<string, object?> { ["event_id"] = handOff.EventId });
        // An onboarded row already there (a concurrent or repeated setup) writes nothing: the mobile was completed before.
        if (!await services.Store.CompleteAsync(handOff, audited, cancel)) return AlreadyCompleted(services);

        // Committed, and the outbox's NOTIFY wakes the delivery workers. The mark is single-use; the onboarded row already bars reuse.
        await services.Codes.ClearVerifiedAsync(mobile);
        services.Metrics.PinSetup("accepted");
        return TypedResults.Ok(new PinSetupResponse("success", "PIN accepted, account creation in progress"));
    }

    private static ProblemHttpResult InvalidMobile() =>
        Problem.Validation("mobile_number must be E.164: '+' then 8-15 digits, no leading 0.", "mobile_number");

    private static ProblemHttpResult AlreadyCompleted(OnboardingServices services)
    {
        services.Metrics.PinSetup("already_completed");
        return Problem.Of(StatusCodes.Status409Conflict, ErrorCodes.AlreadyCompleted, "PIN setup was already completed for this mobile.");
    }

    private static bool HasControl(string value) => value.Any(char.IsControl);
}
