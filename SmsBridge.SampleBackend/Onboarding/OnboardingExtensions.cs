using System.Net.Http.Headers;

namespace SmsBridge.SampleBackend.Onboarding;

public static class OnboardingExtensions
{
    /// <summary>The receiver's backend API (<c>http://receiver</c> through service discovery) and the registrations seen so far.</summary>
    public static IHostApplicationBuilder AddOnboarding(this IHostApplicationBuilder builder)
    {
        var apiKey = builder.Configuration["Secrets:BackendApiKey"]
                     ?? throw new InvalidOperationException("Secrets__BackendApiKey is not set: the sample backend runs in the AppHost's graph, which sets it.");
        builder.Services.AddHttpClient<ReceiverClient>(http =>
        {
            http.BaseAddress = new Uri(builder.Configuration["Receiver:Url"] ?? "http://receiver");
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        });
        builder.Services.AddSingleton<Registrations>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = ReceiverClient.Json.PropertyNamingPolicy);
        return builder;
    }

    /// <summary>What the gateway simulator reads to fill in its form: the newest registration, with its flow's trace.</summary>
    public static IEndpointRouteBuilder MapRegistrationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/registrations/latest", (Registrations registrations) => registrations.Latest is { } latest
                ? Results.Ok(new LatestRegistration(latest.Mobile, latest.SmsText, latest.SmsReceivingNumber, latest.FlowTraceParent))
                : Results.NoContent())
            .WithName("LatestRegistration");
        return app;
    }

}

/// <summary>The body of <c>GET /api/registrations/latest</c> (snake_case, as every SMS Bridge body).</summary>
public sealed record LatestRegistration(string MobileNumber, string Message, string SmsReceivingNumber, string? Traceparent);
