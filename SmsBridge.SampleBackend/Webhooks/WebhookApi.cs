using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SmsBridge.SampleBackend.Onboarding;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace SmsBridge.SampleBackend.Webhooks;

/// <summary>
/// Where SMS Bridge hands over verified users (the receiver's <c>sync_url</c>): the Standard Webhooks signature is checked
/// with the StandardWebhooks package, an implementation independent of SMS Bridge's signer, before anything is believed.
/// </summary>
public static class WebhookApi
{
    public const string Path = "/webhook";

    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        var secret = builder.Configuration["Secrets:WebhookSecret"]
                     ?? throw new InvalidOperationException("Secrets__WebhookSecret is not set: the sample backend runs in the AppHost's graph, which sets it.");
        builder.Services.AddSingleton(new StandardWebhook(secret));
        return builder;
    }

    public static IEndpointRouteBuilder MapWebhookApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, ReceiveAsync).WithName("ReceiveWebhook");
        return app;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ReceiveAsync(HttpRequest request, StandardWebhook verifier,
        Registrations registrations, ILogger<Registrations> logger)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        var webhookId = request.Headers["webhook-id"].FirstOrDefault();
        try
        {
            verifier.Verify(body, request.Headers);
        }
        catch (WebhookVerificationException ex)
        {
            return Refuse(registrations, logger, webhookId, $"signature refused: {ex.Message}");
        }

        if (Parse(body) is not { } user) return Refuse(registrations, logger, webhookId, "signed, but not the contract's webhook body");
        var accepted = registrations.Accept(webhookId!, user);
        logger.LogInformation("Webhook {WebhookId} accepted (attempt {Attempt})", accepted.WebhookId, accepted.Attempts);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult Refuse(Registrations registrations, ILogger logger, string? webhookId, string reason)
    {
        registrations.Refuse(webhookId, reason);
        logger.LogWarning("Webhook {WebhookId} refused: {Reason}", webhookId, reason);
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Webhook refused", detail: reason);
    }

    private static VerifiedUser? Parse(string body)
    {
        try
        {
            var webhook = JsonSerializer.Deserialize<WebhookBody>(body, ReceiverClient.Json);
            return webhook is { EventId: { } id, MobileNumber: { } mobile, Hash: { } hash, Pin: { Length: > 0 } pin, VerifiedAt: { } at }
                ? new VerifiedUser(id, mobile, hash, at, new string('•', pin.Length))
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record WebhookBody(string? EventId, string? MobileNumber, string? Pin, string? Hash, DateTimeOffset? VerifiedAt);
}
